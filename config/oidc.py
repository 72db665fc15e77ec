"""The OpenID Connect providers people may sign in through, read from settings.

SCP_OIDC_PROVIDERS names them (space- or comma-separated, such as "microsoft google"); each name NAME then has
SCP_OIDC_NAME_ISSUER (the issuer URL, whose /.well-known/openid-configuration is fetched), SCP_OIDC_NAME_CLIENT_ID,
SCP_OIDC_NAME_CLIENT_SECRET, and optionally SCP_OIDC_NAME_DISPLAY_NAME ("Microsoft" in "Sign in with Microsoft")
and SCP_OIDC_NAME_TRUST_EMAIL (true only for a provider whose email claim is the person's own address even without
email_verified, such as a Microsoft Entra ID tenant's own users; off by default).
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from config.checks import ConfigurationError

_NAME = re.compile(r"[a-z][a-z0-9]{0,39}")


@dataclass(frozen=True)
class OidcProvider:
    """One provider: where it is, who we are to it, what the button says, whether its email claim is trusted."""

    name: str
    issuer: str
    client_id: str
    client_secret: str
    display_name: str
    trusts_email: bool = False

    @property
    def metadata_url(self) -> str:
        """The provider's discovery document."""
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"


def _setting(config: Mapping, name: str, part: str) -> str:
    """One provider's setting, as text ('' when unset)."""
    value = config.get(f"OIDC_{name.upper()}_{part}")
    return "" if value is None else str(value).strip()


def _flag(value: object) -> bool:
    """A true/false setting: from_prefixed_env gives JSON true/false, a .env may give text."""
    return value is True or str(value).strip().lower() in ("true", "1", "yes")


def oidc_providers(config: Mapping) -> list[OidcProvider]:
    """The configured providers, in the order named; ConfigurationError naming the first missing or bad setting."""
    names = [name for name in re.split(r"[\s,]+", str(config.get("OIDC_PROVIDERS") or "").strip().lower()) if name]
    providers: list[OidcProvider] = []
    for name in names:
        if not _NAME.fullmatch(name) or name in (p.name for p in providers):
            raise ConfigurationError([
                f"SCP_OIDC_PROVIDERS: {name!r} is not a provider name (lower-case letters and digits, each once), "
                "such as SCP_OIDC_PROVIDERS=\"microsoft google\""])
        missing = [part for part in ("ISSUER", "CLIENT_ID", "CLIENT_SECRET") if not _setting(config, name, part)]
        if missing:
            raise ConfigurationError([
                f"SCP_OIDC_{name.upper()}_{missing[0]} is not set: SCP_OIDC_PROVIDERS names {name!r}, which needs "
                f"SCP_OIDC_{name.upper()}_ISSUER, _CLIENT_ID and _CLIENT_SECRET (docs/deployment.md)"])
        issuer = _setting(config, name, "ISSUER")
        parts = urlsplit(issuer)
        # Plain http only to this machine (a test or development provider): elsewhere the tokens would travel bare.
        if not parts.netloc or (parts.scheme != "https" and not (parts.scheme == "http" and (
                parts.hostname in ("127.0.0.1", "localhost", "::1")) and not config.get("REQUIRE_REAL_SECRET"))):
            raise ConfigurationError([
                f"SCP_OIDC_{name.upper()}_ISSUER={issuer!r} is not an https:// address: give the provider's issuer, "
                "such as https://login.microsoftonline.com/<tenant id>/v2.0"])
        providers.append(OidcProvider(
            name=name, issuer=issuer, client_id=_setting(config, name, "CLIENT_ID"),
            client_secret=_setting(config, name, "CLIENT_SECRET"),
            display_name=_setting(config, name, "DISPLAY_NAME") or name.capitalize(),
            trusts_email=_flag(config.get(f"OIDC_{name.upper()}_TRUST_EMAIL"))))
    return providers
