"""An objective's change history, as its page and the board report show it, reads in words: every change the
edit page, progress, a decided request and carrying forward record, with no "None" and no stored codes."""

import re
from datetime import date, timedelta

from support.notifications import objective_values

from scp_tracker.core.clock import utcnow
from scp_tracker.core.history import Actor
from scp_tracker.people.models import Contact
from scp_tracker.plans.models import Objective
from scp_tracker.plans.next_plan import carry_forward
from scp_tracker.plans.progress import ProgressValues, add_progress, decide_end_date_request
from scp_tracker.plans.services import FundingValues, update_objective

RAW = re.compile(r"\bNone\b|\b\d{4}-\d{2}-\d{2}\b|changed from (to|$)|→|Not set|Created|Before|_")


def _history(page: str) -> list[str]:
    """The Change column of the objective page's history table, one entry a row."""
    table = page[page.index('id="history"'):]
    table = table[:table.index("</table>")]
    rows = re.findall(r'<td class="govuk-table__cell app-preserve-lines">(.*?)</td>', table, re.S)
    return [" ".join(row.split()) for row in rows]


def test_every_change_to_an_objective_reads_in_words(db, sample_plan, plans_client):
    sample = sample_plan(1)
    objective = db.session.get(Objective, sample.objective_ids[0])
    actor = Actor(name="Cora Ordinator")
    old_end = objective.end_date
    named = db.session.scalar(db.select(Contact).filter_by(email="lead.cbh@example.org"))
    update_objective(objective, objective_values(
        objective, title="Safer streets", status="complete", rag="amber", end_date=date(2017, 6, 30),
        agency_ids=[sample.agencies["CBC"].id, sample.agencies["EP"].id], contact_ids=[named.id],
        funding=[FundingValues(id=None, amount_pence=500000, source="PCC", pot="Grant", status="confirmed")],
        police_scope="none", police_numbers=[], pcc_scope="listed", pcc_numbers=[2]), actor)
    update = add_progress(objective, ProgressValues(text="Going well", rag="green",
                                                    requested_end_date=date(2017, 9, 30)), actor, now=utcnow())
    decide_end_date_request(update, True, actor, utcnow())
    db.session.commit()

    page = plans_client("coordinator").get(f"/objectives/{objective.id}").get_data(as_text=True)
    history = _history(page)

    for words in (
        "Short title changed from Objective 0 to Safer streets",
        "Status changed from Open to Complete",
        f"End date moved from {old_end.day} {old_end:%B}{'' if old_end.year == 2017 else f' {old_end.year}'} "
        "to 30 June 2017",
        "End date moved from 30 June to 30 September 2017",
        "Request to move the end date (asked for 30 September 2017): approved",
        "RAG changed from Amber to Green",
        "Lead agencies changed from EP to EP, CBC",
        "Named lead contacts added: CBH Lead",
        "Funding line added: £5,000 PCC (Grant)",
        "Police priority numbers removed: 1",
        "PCC priority numbers added: 2",
        "Police priorities changed from Listed by number to Not linked to any",
        "PCC priorities changed from Not linked to any to Listed by number",
    ):
        assert words in history, f"{words!r} not in {history}"
    assert any(words.startswith("Funding line removed: ") for words in history)
    assert any(words.startswith("RAG set to ") for words in history)  # the sample plan's own change
    for words in history:
        assert not RAW.search(words), words


def test_an_objective_carried_forward_says_where_from(db, sample_plan, plans_client):
    sample = sample_plan(1)
    plan = carry_forward(sample.plan, sample.objective_ids, title="Plan 2017-18", actor=Actor(name="Cora"))
    db.session.commit()
    copy_id = db.session.scalar(db.select(Objective.id).where(Objective.carried_from_id == sample.objective_ids[0]))

    history = _history(plans_client("coordinator").get(f"/objectives/{copy_id}").get_data(as_text=True))

    assert history == ["Carried forward from 2016-17: Objective 0"], plan.year


def test_the_board_report_writes_changes_in_words(db, sample_plan, plans_client):
    sample = sample_plan(1)
    objective = db.session.get(Objective, sample.objective_ids[0])
    update_objective(objective, objective_values(objective, end_date=objective.end_date + timedelta(days=61)),
                     Actor(name="Cora Ordinator"))
    db.session.commit()
    body = " ".join(plans_client("viewer").get("/report").get_data(as_text=True).split())
    new_end = objective.end_date
    assert f" to {new_end.day} {new_end:%B %Y} by Cora Ordinator" in body
    assert "End date moved from " in body and "→" not in body and "None" not in body
