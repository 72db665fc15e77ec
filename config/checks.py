"""What a production app refuses to start with. Each refusal is one message naming the setting and how to fix it.

The secret rule: SCP_SECRET_KEY must carry at least MIN_SECRET_BITS bits, estimated as the lesser of two measures
that both fall for a weak secret, whatever its length: its length times its Shannon entropy per character (a
secret of one repeated letter has none, "abab…" one bit a character), and its size once zlib has compressed it,
less zlib's fixed overhead (a repeated pattern compresses to almost nothing). Both measure the first
SECRET_SAMPLE characters, so that a pattern cannot pass by repeating it thousands of times. secrets.token_hex(32)
estimates at 220 to 250 bits; 'a' * 32 at 0, and 'ab' repeated any number of times at under 64.
"""

import ipaddress
import math
import os
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from flask.helpers import get_debug_flag

MIN_SECRET_BITS = 128
SECRET_SAMPLE = 256  # characters measured; a random secret carries far more than MIN_SECRET_BITS in them
MAKE_A_SECRET = "python3 -c 'import secrets; print(secrets.token_hex(32))'"
_ZLIB_OVERHEAD = len(zlib.compress(b"", 9))

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class ConfigurationError(RuntimeError):
    """Settings the app refuses to start with: each refusal names its setting and the fix."""

    def __init__(self, refusals: list[str], *, production: bool = False):
        heading = "production refuses to start" if production else "the settings are refused"
        super().__init__(f"{heading}:\n" + "\n".join(f"- {refusal}" for refusal in refusals))
        self.refusals = refusals
        self.production = production

    def one_line(self, *, reads_dotenv: bool = True) -> str:
        """The refusal as one line for a terminal: the first in full, the others by their setting's name.

        `reads_dotenv`: the program reads the checkout's .env (the CLI does, gunicorn does not), so a start
        without SCP_ENV is most likely a checkout that `make setup` has not set up yet.
        """
        if self.production and reads_dotenv and not os.environ.get("SCP_ENV"):
            return ("SCP_ENV is not set, so this is a production start, and production refuses these settings: "
                    f"{', '.join(_setting(refusal) for refusal in self.refusals)}. On a development checkout run "
                    "`make setup` (it writes a development .env); in production see the README's \"Production\"")
        first, *others = self.refusals
        more = f" (also refused: {', '.join(_setting(refusal) for refusal in others)})" if others else ""
        return f"{'production refuses to start: ' if self.production else ''}{first}{more}"


def _setting(refusal: str) -> str:
    """The setting a refusal names: its first word."""
    match = re.match(r"[A-Z_]+", refusal)
    return match.group(0) if match else refusal


def secret_bits(secret: str) -> float:
    """The estimated entropy of a secret, in bits (the module's docstring gives the rule)."""
    data = secret[:SECRET_SAMPLE].encode()
    if not data:
        return 0.0
    counts = Counter(data)
    shannon = -sum(n / len(data) * math.log2(n / len(data)) for n in counts.values()) * len(data)
    compressed = 8 * (len(zlib.compress(data, 9)) - _ZLIB_OVERHEAD)
    return max(0.0, min(shannon, compressed))


def production_refusals(config: Mapping) -> list[str]:
    """Why these settings cannot run in production: one message per problem, none when they can."""
    refusals = []
    secret = str(config.get("SECRET_KEY") or "")
    if not secret:
        refusals.append(f"SCP_SECRET_KEY is not set: production needs a random secret. Make one with: {MAKE_A_SECRET}")
    elif secret_bits(secret) < MIN_SECRET_BITS:
        refusals.append(
            f"SCP_SECRET_KEY is too weak (about {secret_bits(secret):.0f} bits of entropy, at least {MIN_SECRET_BITS} "
            f"needed: it is short, repetitive or patterned). Make one with: {MAKE_A_SECRET}")
    base_url = urlsplit(str(config.get("BASE_URL") or ""))
    if base_url.scheme != "https" or not base_url.netloc:
        refusals.append(
            f"SCP_BASE_URL={config.get('BASE_URL')!r} is not an https:// address: emailed links would point at it. "
            "Set SCP_BASE_URL to the address people use, such as https://scp-tracker.example.org")
    if config.get("DEBUG") or get_debug_flag():  # FLASK_DEBUG also turns on `flask run`'s debugger
        refusals.append("DEBUG is on: the debugger would let anyone run code on the server. "
                        "Unset SCP_DEBUG and FLASK_DEBUG (or set them to false)")
    for name in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if not config.get(name):
            refusals.append(f"{name} is off: cookies would travel without HTTPS. Set SCP_{name}=true (the default)")
    return refusals


def check_production(config: Mapping) -> None:
    """ConfigurationError listing every refusal, if there is one."""
    refusals = production_refusals(config)
    if refusals:
        raise ConfigurationError(refusals, production=True)


def trusted_proxies(setting: str | Iterable[str] | None) -> list[Network]:
    """SCP_TRUSTED_PROXIES as networks: comma-separated addresses or CIDR networks; empty trusts nobody."""
    entries = setting.split(",") if isinstance(setting, str) else list(setting or ())
    networks = []
    for entry in (str(entry).strip() for entry in entries):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ConfigurationError([
                f"SCP_TRUSTED_PROXIES: {entry!r} is not an address or a network. Give the reverse proxies' "
                "addresses, comma-separated, such as 127.0.0.1,10.0.0.0/24 (or leave it empty to trust none)"
            ]) from None
    return networks
