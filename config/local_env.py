"""The checkout's development settings: `make setup` writes them to `.env`, which Flask's CLI reads (python-dotenv).

`python -m config.local_env` writes `.env` at the project root with SCP_ENV=development and a secret made by
`secrets.token_urlsafe`, and never touches a `.env` that exists: it may hold a person's own settings.
Variables set in the environment win over the file's (Flask's `load_dotenv` sets only those not yet set).
"""

import secrets
import sys
from pathlib import Path

from config import PROJECT_ROOT

DOTENV = PROJECT_ROOT / ".env"


def development_env() -> str:
    """The text of a development .env, with a fresh secret."""
    return ("# Written by `make setup` for this checkout only (git-ignored; delete it to get a new one).\n"
            "# Flask's CLI reads it, so every `scp-tracker` command here runs in the development settings.\n"
            "# A real deployment sets its settings in the environment instead: see the README's \"Production\".\n"
            "SCP_ENV=development\n"
            f"SCP_SECRET_KEY={secrets.token_urlsafe(32)}\n")


def write_development_env(path: Path = DOTENV) -> bool:
    """Write a development .env at path unless a file is there already; True if it was written."""
    try:
        with open(path, "x", encoding="utf-8") as dotenv:
            dotenv.write(development_env())
    except FileExistsError:
        return False
    return True


def main() -> None:
    """Write the checkout's .env, saying whether it was written or kept."""
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DOTENV
    if write_development_env(path):
        print(f"Wrote the development settings to {path} (SCP_ENV=development and a new secret)")
    else:
        print(f"Kept {path} as it is")


if __name__ == "__main__":
    main()
