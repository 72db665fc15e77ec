"""How the plan's fields and recorded changes are written on pages: the partnership's words, not column names."""

from datetime import date

from flask import Flask

from scp_tracker.core.formatting import gov_date, money, rag_label
from scp_tracker.plans.services import describe_funding, funding_summary

FIELD_LABELS = {
    "title": "Short title",
    "text": "Objective",
    "status": "Status",
    "rag": "RAG",
    "end_date": "End date",
    "end_date_status": "End date status",
    "lead_status": "Lead status",
    "lead_agencies": "Lead agencies",
    "lead_contacts": "Named lead contacts",
    "police_scope": "Police priorities",
    "police_numbers": "Police priority numbers",
    "pcc_scope": "PCC priorities",
    "pcc_numbers": "PCC priority numbers",
    "funding_line": "Funding line",
    "amount_pence": "Funding amount",
    "source": "Funding source",
    "pot": "Funding pot",
    "carried_from": "Carried forward from",
    "created": "Added",
    "retired": "Retired",
}
# Recorded fields holding a date, written "30 April 2017".
DATE_FIELDS = ("end_date", "retired")

VALUE_WORDS = {
    # An objective's status and a funding line's status share the field name; their values do not overlap.
    "status": {"open": "Open", "complete": "Complete", "cancelled": "Cancelled", "confirmed": "Confirmed",
               "tbc": "TBC", "not_applicable": "N/A", "nil_cost": "Nil cost", "missing": "Not recorded"},
    "end_date_status": {"set": "Set", "tbc": "TBC", "missing": "Not recorded"},
    "lead_status": {"set": "Set", "tbc": "TBC", "missing": "Not recorded"},
    "police_scope": {"listed": "Listed", "multiple": "Multiple", "all": "All", "none": "None"},
    "pcc_scope": {"listed": "Listed", "multiple": "Multiple", "all": "All", "none": "None"},
}


def field_label(field: str, entity: str = "objective") -> str:
    """A recorded field's name in words ("Funding status" for a funding line's status)."""
    if entity == "funding" and field == "status":
        return "Funding status"
    return FIELD_LABELS.get(field, field.replace("_", " ").capitalize())


def change_value(value: str | None, field: str) -> str:
    """A recorded value in words ("red" → "Red", "2017-04-30" → "30 April 2017"); nothing is "None" (RAG: "Not set")."""
    if field == "rag":
        return rag_label(value)
    if value is None or value == "":
        return "None"
    if field in DATE_FIELDS:
        try:
            return gov_date(date.fromisoformat(value))
        except ValueError:
            return value
    if field == "amount_pence" and value.lstrip("-").isdigit():
        return money(int(value))
    return VALUE_WORDS.get(field, {}).get(value, value)


def register_filters(app: Flask) -> None:
    """Make the plan's wording available to every template (pages and emails)."""
    app.add_template_filter(field_label, "field_label")
    app.add_template_filter(change_value, "change_value")
    app.add_template_filter(describe_funding, "funding_line")
    app.add_template_filter(funding_summary, "funding_summary")
