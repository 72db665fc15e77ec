"""Settings per environment, chosen by SCP_ENV and overridable by SCP_-prefixed environment variables."""

import os
from pathlib import Path

from config.base import BaseConfig
from config.checks import ConfigurationError
from config.development import DevelopmentConfig
from config.production import ProductionConfig
from config.testing import TestingConfig

ENVIRONMENTS = {
    "production": ProductionConfig,
    "development": DevelopmentConfig,
    "testing": TestingConfig,
}

__all__ = ["BaseConfig", "ENVIRONMENTS", "config_for", "PROJECT_ROOT"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def config_for(name: str | None = None) -> type[BaseConfig]:
    """The settings class for an environment name (SCP_ENV, production by default)."""
    name = (name or os.environ.get("SCP_ENV") or "production").lower()
    try:
        return ENVIRONMENTS[name]
    except KeyError:
        raise ConfigurationError(
            [f"SCP_ENV={name!r} is not an environment; choose one of {', '.join(ENVIRONMENTS)}"]) from None
