"""An indicator's RAG and direction of travel, worked out from target against actual with a tolerance.

Green: the latest figure meets the target. Amber: it misses by no more than the tolerance (a percentage of
the target). Red: it misses by more. Direction of travel compares the latest figure with the one before:
a change within the tolerance (a percentage of the earlier figure) is "no real change".
"""

from dataclasses import dataclass

RAG_WORDS = {"green": "On target", "amber": "Near target", "red": "Off target", "none": "No target or figures"}
RAG_COLOURS = {"green": "green", "amber": "yellow", "red": "red", "none": "grey"}  # as the objectives' RAG tags
DIRECTION_WORDS = {"improving": "Improving", "worsening": "Getting worse", "steady": "No real change",
                   "none": "Not known yet"}


@dataclass(frozen=True)
class Assessment:
    """An indicator's RAG and direction, as keys of RAG_WORDS and DIRECTION_WORDS."""

    rag: str
    direction: str

    @property
    def rag_words(self) -> str:
        return RAG_WORDS[self.rag]

    @property
    def rag_colour(self) -> str:
        return RAG_COLOURS[self.rag]

    @property
    def direction_words(self) -> str:
        return DIRECTION_WORDS[self.direction]


def effective_target(target_value: float | None, change_percent: float | None, baseline: float | None) -> float | None:
    """The target as a figure: the value given, or the baseline changed by the percentage given."""
    if target_value is not None:
        return target_value
    if change_percent is not None and baseline is not None:
        return baseline * (1 + change_percent / 100)
    return None


def rag_for(actual: float | None, target: float | None, better: str, tolerance_percent: float) -> str:
    """red, amber, green, or none when there is no figure or no target."""
    if actual is None or target is None:
        return "none"
    shortfall = actual - target if better == "lower" else target - actual
    if shortfall <= 0:
        return "green"
    return "amber" if shortfall <= abs(target) * tolerance_percent / 100 else "red"


def direction_for(latest: float | None, earlier: float | None, better: str, tolerance_percent: float) -> str:
    """improving, worsening, steady, or none without two figures to compare."""
    if latest is None or earlier is None:
        return "none"
    change = latest - earlier
    if abs(change) <= abs(earlier) * tolerance_percent / 100:
        return "steady"
    return "improving" if (change < 0) == (better == "lower") else "worsening"


def assess(latest: float | None, earlier: float | None, target: float | None, better: str,
           tolerance_percent: float) -> Assessment:
    """The RAG and direction of travel together."""
    return Assessment(rag_for(latest, target, better, tolerance_percent),
                      direction_for(latest, earlier, better, tolerance_percent))
