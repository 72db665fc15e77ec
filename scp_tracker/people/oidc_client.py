"""The OpenID Connect client: Authlib's Flask registry, one client per provider named in the settings (config.oidc).

Authlib fetches a provider's discovery document on first use and keeps it for the life of the process, with the
provider's signing keys (fetched again when a token names a key it does not know). It sends PKCE (S256), a state and
a nonce, and on the way back checks the state against the session, then the ID token's signature, issuer, audience
(our client id), expiry and nonce.
"""

from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app

from config.oidc import OidcProvider, oidc_providers

EXTENSION = "scp_tracker.oidc"
SCOPE = "openid email profile"
# Seconds to wait for the provider's discovery document, keys and token endpoint: a provider that does not answer
# must give a clear page, not hang a web worker.
HTTP_TIMEOUT_SECONDS = 10


class OidcClients:
    """The providers of one app and their Authlib clients."""

    def __init__(self, app: Flask, providers: list[OidcProvider]):
        self.providers = {provider.name: provider for provider in providers}
        self.oauth = OAuth(app)
        for provider in providers:
            self.oauth.register(
                provider.name, overwrite=True, client_id=provider.client_id, client_secret=provider.client_secret,
                server_metadata_url=provider.metadata_url,
                client_kwargs={"scope": SCOPE, "code_challenge_method": "S256",
                               "default_timeout": HTTP_TIMEOUT_SECONDS})

    def client(self, name: str):
        """The Authlib client of a provider."""
        return self.oauth.create_client(name)


def init_app(app: Flask) -> None:
    """Read the providers (a bad setting refuses the start, config.oidc) and build their clients; no requests yet."""
    app.extensions[EXTENSION] = OidcClients(app, oidc_providers(app.config))


def providers() -> list[OidcProvider]:
    """This app's providers, in the order the settings name them (the buttons' order)."""
    return list(current_app.extensions[EXTENSION].providers.values())


def provider(name: str) -> OidcProvider | None:
    """One provider by its name, or None."""
    return current_app.extensions[EXTENSION].providers.get(name)


def client(name: str):
    """The Authlib client of a configured provider."""
    return current_app.extensions[EXTENSION].client(name)
