"""What every area shares: the clock, database types, the change history, emailed-link tokens, formatting,
GOV.UK form fields, the input rules, edit versions and the data version.

Nothing here imports an area: areas depend on core, never the other way (docs/architecture.md).
"""

from scp_tracker.core import models  # noqa: F401  (registers the change history's table)
