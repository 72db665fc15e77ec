"""Plans written out as text, the way users write them, for the parser's tests: a table's header and rows, a
glossary, and the real 2016-17 plan's path."""

from pathlib import Path

from scp_tracker.documents.parser import parse_plan_text

REAL_PLAN = Path(__file__).parents[1] / "fixtures" / "plans" / "scp-annual-plan-2016-17-draft.txt"
HEADER = ("OBJECTIVE", "PROGRESS / OUTPUT", "FUNDING", "PROJECT LEAD / AGENCY", "END DATE", "POLICE PRIORITY",
          "PCC PRIORITY")
GLOSSARY = [
    "**Glossary**",
    ("Abbreviation", "Description", "Abbreviation", "Description"),
    ("CBC", "Colchester Borough Council", "CBH", "Colchester Borough Homes"),
    ("CCG", "Clinical Commissioning Group", "OCG", "Organised Crime Groups"),
    ("IOM", "Integrated Offender Management", "YOT", "Youth Offending Team"),
]


def doc(*lines) -> str:
    """A text plan: a tuple is a row of tab-separated cells, a string a line as written."""
    return "\n".join("\t".join(line) if isinstance(line, tuple) else line for line in lines)


def plan_with(*rows, header=HEADER, heading="KEY PRIORITY 1: TO KEEP PEOPLE SAFE (KP LEAD: CBC)", glossary=True):
    """A one-priority plan for 2016-17 with the given table rows (table starts on line 5)."""
    lines = ["## Annual Partnership Plan 2016-17", heading, "A description.", "", header, *rows]
    return parse_plan_text(doc(*lines, *(GLOSSARY if glossary else [])), "plan.txt")


def row(objective="<b>Do it</b>", progress="", funding="", lead="CBC", end="Apr 17", police="", pcc=""):
    """An objectives row in the real plan's column order."""
    return (objective, progress, funding, lead, end, police, pcc)


def only_objective(plan):
    """The one objective of a plan."""
    (objective,) = list(plan.objectives())
    return objective


def where(plan):
    """The (row, column) of every warning."""
    return [(w.row, w.column) for w in plan.warnings]
