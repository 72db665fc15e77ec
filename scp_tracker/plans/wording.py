"""How the plan's fields and recorded changes are written on pages: the partnership's words, not column names."""

from datetime import date

from flask import Flask

from scp_tracker.core.change_words import Field, change_in_words, describe_fields
from scp_tracker.core.formatting import gov_date, money, rag_label
from scp_tracker.plans.services import describe_funding, funding_summary

VALUE_WORDS = {
    # An objective's status and a funding line's status share the field name; their values do not overlap.
    "status": {"open": "Open", "complete": "Complete", "cancelled": "Cancelled", "confirmed": "Confirmed",
               "tbc": "TBC", "not_applicable": "N/A", "nil_cost": "Nil cost", "missing": "Not recorded"},
    "end_date_status": {"set": "Set", "tbc": "TBC", "ongoing": "Ongoing", "missing": "Not recorded"},
    "lead_status": {"set": "Set", "tbc": "TBC", "missing": "Not recorded"},
}
PRIORITY_SCOPES = {"listed": "Listed by number", "multiple": "Multiple (not listed)", "all": "All",
                   "none": "Not linked to any"}

# How the history writes what the plans area records (core.change_words); the documents area's import
# records the same fields of the same things.
describe_fields("objective", {
    "created": Field("Added", "event", sentence="Added to the plan"),
    "carried_from": Field("Carried forward from", "event", sentence="Carried forward from {after}"),
    "retired": Field("Retired", "event", sentence="Retired from the plan on {after}"),
    "title": Field("Short title"),
    "text": Field("Objective"),
    "status": Field("Status", "choice", VALUE_WORDS["status"]),
    "rag": Field("RAG", "rag"),
    "end_date": Field("End date", "date"),
    "end_date_status": Field("End date status", "choice", VALUE_WORDS["end_date_status"]),
    "end_date_text": Field("End date as written"),
    "lead_status": Field("Lead status", "choice", VALUE_WORDS["lead_status"]),
    "lead_text": Field("Lead agencies as written"),
    "police_scope": Field("Police priorities", "choice", PRIORITY_SCOPES),
    "police_numbers": Field("Police priority numbers", "list"),
    "police_text": Field("Police priorities as written"),
    "pcc_scope": Field("PCC priorities", "choice", PRIORITY_SCOPES),
    "pcc_numbers": Field("PCC priority numbers", "list"),
    "pcc_text": Field("PCC priorities as written"),
    "source_html": Field("Objective as written", "note", sentence="Objective’s formatting in the plan changed"),
    "extra": Field("Other columns", "note", sentence="Other columns of the plan changed"),
    "key_priority_id": Field("Key priority", "note", sentence="Moved to another key priority"),
})
describe_fields("lead", {
    "lead_agencies": Field("Lead agencies", "list"),
    "lead_contacts": Field("Named lead contacts", "list"),
    "lead_status": Field("Lead status", "choice", VALUE_WORDS["lead_status"]),
})
describe_fields("funding", {
    "funding_line": Field("Funding line", "list"),
    "funding": Field("Funding", "list"),
    "amount_pence": Field("Funding amount", "money"),
    "source": Field("Funding source"),
    "pot": Field("Funding pot"),
    "status": Field("Funding status", "choice", VALUE_WORDS["status"]),
})
describe_fields("progress", {
    "end_date_request": Field("Request to move the end date", "decision"),
    "lead_request": Field("Request to change the lead agencies", "decision"),
    "funding_request": Field("Request for funding", "decision"),
})
describe_fields("plan", {
    "created": Field("Added", "event", sentence="Plan added: {after}"),
    "title": Field("Plan title"),
    "status": Field("Plan status", "choice", {"draft": "Draft", "agreed": "Agreed", "archived": "Archived"}),
    "starts_on": Field("Plan starts", "date"),
    "ends_on": Field("Plan ends", "date"),
    "agreed_on": Field("Agreed on", "date"),
    "archived_on": Field("Archived on", "date"),
    "agreed_at_meeting": Field("Agreed at"),
    "description": Field("About the plan"),
    "prepared_by": Field("Prepared by"),
    "notes": Field("Notes", "list"),
})
describe_fields("key_priority", {
    "created": Field("Added", "event", sentence="Key priority added: {after}"),
    "title": Field("Key priority"),
    "heading": Field("Key priority heading"),
    "description": Field("Key priority description"),
    "lead_text": Field("Key priority leads as written"),
    "lead_agencies": Field("Key priority lead agencies", "list"),
    "retired_on": Field("Retired on", "date"),
})
for _list_name, _words in (("police", "Police priority"), ("pcc", "PCC priority")):
    describe_fields(f"{_list_name}_priority", {
        "created": Field("Added", "event", sentence=_words + " added: {after}"),
        "title": Field(_words),
    })


def change_value(value: str | None, field: str) -> str:
    """A value in words ("red" → "Red", "2017-04-30" → "30 April 2017"); nothing is "Not recorded" (RAG: "Not set")."""
    if field == "rag":
        return rag_label(value)
    if value is None or value == "":
        return "Not recorded"
    if field in ("end_date", "retired"):
        try:
            return gov_date(date.fromisoformat(value))
        except ValueError:
            return value
    if field == "amount_pence" and value.lstrip("-").isdigit():
        return money(int(value))
    return VALUE_WORDS.get(field, {}).get(value, value)


def register_filters(app: Flask) -> None:
    """Make the plan's wording available to every template (pages and emails)."""
    app.add_template_filter(change_value, "change_value")
    # The history's words belong to core; registered here, where the plan's fields are described, since every
    # page that shows a history shows the plan's.
    app.add_template_filter(change_in_words, "change_in_words")
    app.add_template_filter(describe_funding, "funding_line")
    app.add_template_filter(funding_summary, "funding_summary")
