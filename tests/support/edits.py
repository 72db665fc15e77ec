"""The hidden fields an edit form carries (scp_tracker.core.edits), for tests that post edit forms directly."""

import re

from werkzeug.datastructures import MultiDict

from scp_tracker.core.edits import opened_text


def stamped(version, shown: dict) -> dict[str, str]:
    """The version and "what the form showed" fields of a form opened on a record at this version."""
    return {"opened_version": str(version), "opened_values": opened_text(shown)}


def objective_stamp(objective) -> dict[str, str]:
    """The hidden fields of the edit page opened on this objective as it is now."""
    from scp_tracker.plans.forms import ObjectiveForm

    return stamped(objective.version, ObjectiveForm.initial(objective))


def hidden_stamp(html: str) -> dict[str, str]:
    """The version and "what the form showed" fields of an edit page as drawn (a GET, or a refused save)."""
    found = {name: re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html)
             for name in ("opened_version", "opened_values")}
    assert all(found.values()), "the page has no edit stamp"
    return {name: match.group(1) for name, match in found.items()}


def as_post(fields: dict) -> MultiDict:
    """A dict whose lists are repeated fields, as a browser posts it."""
    data = MultiDict()
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            data.add(name, item)
    return data


def objective_form(objective, *, stamp: bool = True, **changes) -> MultiDict:
    """The edit page's POST for an objective as it is now (opened now unless stamp=False), some fields changed."""
    end = objective.end_date
    fields = {
        "title": objective.title, "text": objective.text, "status": objective.status, "rag": objective.rag or "",
        "end_date_status": objective.end_date_status,
        "end_date": [str(end.day), str(end.month), str(end.year)] if end else ["", "", ""],
        "lead_agencies": [str(link.agency_id) for link in objective.lead_links],
        "lead_contacts": [str(link.contact_id) for link in objective.contact_links],
        "police_scope": objective.police_scope, "police_numbers": [str(n) for n in objective.police_numbers],
        "pcc_scope": objective.pcc_scope, "pcc_numbers": [str(n) for n in objective.pcc_numbers],
        "submit": "Save changes",
    }
    for i, line in enumerate(objective.funding_lines):
        fields.update({
            f"funding-{i}-line_id": str(line.id),
            f"funding-{i}-amount": "" if line.amount_pence is None else str(line.amount_pence / 100),
            f"funding-{i}-source": line.source or "", f"funding-{i}-pot": line.pot or "",
            f"funding-{i}-status": line.status,
        })
    if stamp:
        fields.update(objective_stamp(objective))
    fields.update(changes)
    return as_post(fields)


def opened(client, path: str) -> dict[str, str]:
    """The stamp of the edit page at `path` opened now by this client (empty if the page is refused to them)."""
    response = client.get(path)
    return hidden_stamp(response.get_data(as_text=True)) if response.status_code == 200 else {}
