"""Reading the scp-tracker/plan@1 interchange format (our JSON export) into PlanData, exactly as written."""

from datetime import date

from scp_tracker.documents.cells import leads_text, parse_timestamp, priority_ref_text
from scp_tracker.documents.plan_data import (
    AgencyData,
    FundingData,
    KeyPriorityData,
    NumberedItem,
    ObjectiveData,
    PlanData,
    PlanFileError,
    PriorityRef,
    TermData,
)
from scp_tracker.documents.plan_wording import title_and_status

PLAN_FORMAT = "scp-tracker/plan@1"


def parse_plan_json(data: dict, filename: str = "") -> PlanData:
    """Read the scp-tracker/plan@1 interchange format our export writes, exactly."""
    name = filename or "plan"
    if not isinstance(data, dict) or data.get("format") != PLAN_FORMAT:
        raise PlanFileError(f"{name}: not an SCP Tracker plan export (its format is not {PLAN_FORMAT})")
    try:
        return _plan_from_json(data, filename)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise PlanFileError(f"{name}: not a valid plan export ({type(error).__name__}: {error})") from error


def _choice(value: str, allowed: tuple[str, ...], what: str) -> str:
    """A value that must be one of a few words."""
    if value not in allowed:
        raise ValueError(f"{what} {value!r} is not one of {', '.join(allowed)}")
    return value


def _plan_from_json(data: dict, filename: str) -> PlanData:
    """PlanData from a parsed export (KeyError, TypeError or ValueError when it is malformed)."""
    plan = data["plan"]
    _, status_in_title = title_and_status(plan["title"])
    return PlanData(
        year=plan.get("year"),
        title=plan["title"],
        status=_choice(plan.get("status") or status_in_title, ("draft", "agreed", "archived"), "plan status"),
        starts_on=_iso_date(plan.get("starts_on")),
        ends_on=_iso_date(plan.get("ends_on")),
        description=plan.get("description") or "",
        prepared_by=plan.get("prepared_by") or "",
        notes=list(plan.get("notes") or []),
        agencies=[AgencyData(a["abbreviation"], a["name"]) for a in data.get("agencies", [])],
        glossary=[TermData(t["abbreviation"], t["description"]) for t in data.get("glossary", [])],
        police_priorities=[NumberedItem(int(p["number"]), p["title"]) for p in data.get("police_priorities", [])],
        pcc_priorities=[NumberedItem(int(p["number"]), p["title"]) for p in data.get("pcc_priorities", [])],
        priorities=[_key_priority_from_json(kp) for kp in data.get("priorities", [])],
        filename=filename,
    )


def _key_priority_from_json(kp: dict) -> KeyPriorityData:
    """A key priority of the interchange format."""
    number, title, leads = int(kp["number"]), kp["title"], list(kp.get("lead_agencies", []))
    return KeyPriorityData(
        number=number, title=title,
        heading=kp.get("heading") or f"Key priority {number}: {title}",
        lead_agencies=leads,
        lead_text=kp.get("lead_text", " / ".join(leads)),
        description=kp.get("description") or "",
        objectives=[_objective_from_json(o) for o in kp.get("objectives", [])],
    )


def _objective_from_json(o: dict) -> ObjectiveData:
    """An objective of the interchange format; fields our export may leave out are rebuilt as it writes them."""
    leads, lead_status = list(o.get("lead_agencies", [])), o.get("lead_status", "set")
    progress_at = parse_timestamp(o["last_progress_at"]).value if o.get("last_progress_at") else None
    return ObjectiveData(
        title=o["title"],
        text=o["text"],
        source_html=o.get("source_html", o["text"]),
        progress=o.get("progress") or "",
        funding=[FundingData(f.get("amount_pence"), f.get("source"), f.get("pot"),
                             _choice(f["status"], ("confirmed", "tbc", "not_applicable", "nil_cost", "missing"),
                                     "funding status"), f.get("text", ""))
                 for f in o.get("funding") or [{"status": "missing"}]],
        lead_agencies=leads,
        lead_status=_choice(lead_status, ("set", "tbc", "missing"), "lead status"),
        lead_text=o.get("lead_text", leads_text(leads, lead_status)),
        end_date=_iso_date(o.get("end_date")),
        end_date_text=o.get("end_date_text") or "",
        end_date_status=_choice(o.get("end_date_status", "set" if o.get("end_date") else "missing"),
                                ("set", "tbc", "ongoing", "missing"), "end date status"),
        police=_priority_ref_from_json(o.get("police_priorities")),
        pcc=_priority_ref_from_json(o.get("pcc_priorities")),
        rag=o.get("rag") and _choice(o["rag"], ("red", "amber", "green"), "RAG status"),
        status=_choice(o.get("status") or "open", ("open", "complete", "cancelled"), "status"),
        progress_at=progress_at,
        extra=dict(o.get("extra") or {}),
    )


def _priority_ref_from_json(ref: dict | None) -> PriorityRef:
    """A police or PCC priority reference of the interchange format."""
    ref = ref or {"scope": "none"}
    scope = _choice(ref["scope"], ("listed", "multiple", "all", "none"), "priority scope")
    result = PriorityRef(scope, [int(n) for n in ref.get("numbers", [])])
    result.text = ref.get("text") or priority_ref_text(result)
    return result


def _iso_date(value: str | None) -> date | None:
    """A date written as ISO 8601, or None."""
    return date.fromisoformat(value) if value else None
