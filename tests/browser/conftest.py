"""The browser tests' fixtures (defined in browser_support), given to every test in this folder."""

from browser_support import axe_source, browser_type_launch_args, check_accessibility, context, live_server

__all__ = ["axe_source", "browser_type_launch_args", "check_accessibility", "context", "live_server"]
