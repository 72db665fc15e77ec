"""An indicator's figures drawn as an inline SVG line chart (no JavaScript): the geometry, worked out here."""

from dataclasses import dataclass

from scp_tracker.indicators.periods import parse_period
from scp_tracker.indicators.summaries import IndicatorSummary

WIDTH, HEIGHT = 640, 220
COMPACT_WIDTH = 400  # half a column: the text keeps its size, and only the first and last periods are named
LEFT, RIGHT, TOP, BOTTOM = 56, 72, 16, 40  # the right margin holds the target's label
MAX_POINTS = 12  # the last three years of quarters, or one year of months


@dataclass(frozen=True)
class Point:
    """One figure on the chart."""

    x: float
    y: float
    label: str
    value: float
    is_labelled: bool = True


@dataclass(frozen=True)
class Chart:
    """What the template draws."""

    width: int
    height: int
    plot_left: int
    plot_right: int
    points: list[Point]
    polyline: str
    target_y: float | None
    ticks: list[tuple[float, str]]  # (y, label) on the value axis
    baseline_y: float


def _nice_step(span: float) -> float:
    """A round step for about four ticks."""
    raw = span / 4 or 1
    magnitude = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 0.1
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def number_text(value: float) -> str:
    """A figure as written: whole numbers without a decimal point, others to two places."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


def chart_for(summary: IndicatorSummary, compact: bool = False) -> Chart | None:
    """The chart of the indicator's latest figures with its target line, or None without figures."""
    width = COMPACT_WIDTH if compact else WIDTH
    figures = summary.figures[-MAX_POINTS:]
    if not figures:
        return None
    values = [figure.value for figure in figures]
    candidates = values + ([summary.target] if summary.target is not None else [])
    low, high = min(0.0, *candidates), max(candidates)
    step = _nice_step(high - low)
    top = (int(high / step) + 1) * step if high > 0 else step
    bottom = -((int(-low / step) + 1) * step) if low < 0 else 0.0
    plot_width, plot_height = width - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y_of(value: float) -> float:
        return round(TOP + plot_height * (top - value) / (top - bottom), 1)

    gap = plot_width / max(len(figures) - 1, 1)
    last = len(figures) - 1
    points = [Point(round(LEFT + (index * gap if len(figures) > 1 else plot_width / 2), 1), y_of(figure.value),
                    parse_period(figure.period).label, figure.value, not compact or index in (0, last))
              for index, figure in enumerate(figures)]
    ticks = []
    tick = bottom
    while tick <= top + step / 1000:
        ticks.append((y_of(tick), number_text(tick)))
        tick += step
    return Chart(width, HEIGHT, LEFT, width - RIGHT, points, " ".join(f"{p.x},{p.y}" for p in points),
                 y_of(summary.target) if summary.target is not None else None, ticks, y_of(max(bottom, 0.0)))
