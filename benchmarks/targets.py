"""The issue's targets as checks: each met, or missed by how much (in the target's unit and as a share)."""


def at_most(what: str, value: float, limit: float, unit: str) -> dict:
    """A figure that must not exceed the limit."""
    met = value <= limit
    by = "" if met else f"{value - limit:.3g}{unit} over ({(value / limit - 1) * 100:.0f}% more than allowed)"
    return {"what": what, "target": f"≤ {limit:g}{unit}", "value": value, "met": met, "missed_by": by}


def below(what: str, value: float, limit: float, unit: str) -> dict:
    """A figure that must stay under the limit (reaching it misses)."""
    met = value < limit
    by = "" if met else (f"{value - limit:.3g}{unit} over ({(value / limit - 1) * 100:.0f}% more than allowed)"
                         if value > limit else f"reaching {limit:g}{unit}, which it must stay under")
    return {"what": what, "target": f"< {limit:g}{unit}", "value": value, "met": met, "missed_by": by}


def at_least(what: str, value: float, limit: float, unit: str = "") -> dict:
    """A figure that must reach the limit."""
    met = value >= limit
    by = "" if met else f"{limit - value:.3g}{unit} short ({(1 - value / limit) * 100:.0f}% below the target)"
    return {"what": what, "target": f"≥ {limit:g}{unit}", "value": value, "met": met, "missed_by": by}
