"""Forwarded headers (X-Forwarded-For, -Proto, -Host) believed only from the configured reverse proxies.

A client that reaches the app server directly could otherwise claim any address, and slip past the per-address
sign-in throttle by claiming a new one each time.
"""

import ipaddress

from werkzeug.middleware.proxy_fix import ProxyFix

from config.checks import Network


class TrustedProxyFix:
    """WSGI middleware: Werkzeug's ProxyFix for requests whose immediate peer is a trusted proxy, else the bare app."""

    def __init__(self, app, networks: list[Network], **proxy_fix_options):
        """proxy_fix_options go to ProxyFix unchanged (x_for=1, x_proto=1, x_host=1: one proxy in front)."""
        self.app = app
        self.networks = list(networks)
        self.fixed = ProxyFix(app, **proxy_fix_options)

    def is_trusted(self, peer: str | None) -> bool:
        """Whether the address that opened the connection is one of the proxies."""
        try:
            address = ipaddress.ip_address((peer or "").strip())
        except ValueError:
            return False
        if address.version == 6 and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        return any(address in network for network in self.networks)

    def __call__(self, environ, start_response):
        """Fix the request's address, scheme and host from the proxy's headers only if the proxy sent it."""
        if self.is_trusted(environ.get("REMOTE_ADDR")):
            return self.fixed(environ, start_response)
        return self.app(environ, start_response)
