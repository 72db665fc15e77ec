""""Your objectives": the page a reminder email's one link opens lists exactly what its contact is asked about,
changes nothing when opened, and records what was filled in (all or nothing) as that contact."""

from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from scp_tracker.core.clock import utcnow
from scp_tracker.core.models import ChangeRecord
from scp_tracker.notifications.models import Notification
from scp_tracker.plans.models import ObjectiveContact, ProgressUpdate
from scp_tracker.reminders.lead_links import issue_lead_links
from scp_tracker.reminders.models import LeadLink
from scp_tracker.rounds.models import ReportingRound


class _Inputs(HTMLParser):
    """The inputs a browser would send of a page's form: hidden fields and checked radios."""

    def __init__(self):
        super().__init__()
        self.fields = MultiDict()

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag != "input" or "name" not in found:
            return
        if found.get("type") == "hidden" or (found.get("type") == "radio" and "checked" in found):
            self.fields.add(found["name"], found.get("value") or "")


@pytest.fixture
def lead_link(db):
    """lead_link(contact, issued=now, round_id=None): a raw "Your objectives" token, committed."""

    def _link(contact, issued=None, round_id=None):
        raw = issue_lead_links([contact.id], issued or utcnow(), round_id=round_id)[contact.id]
        db.session.commit()
        return raw

    return _link


def opened_form(client, raw: str) -> tuple[MultiDict, dict[str, int]]:
    """The page's form as a browser would send it untouched, and each block's index by objective title."""
    page = client.get(f"/your-objectives/{raw}").get_data(as_text=True)
    parser = _Inputs()
    parser.feed(page)
    fields = parser.fields
    fields.pop("csrf_token", None)
    titles = {}
    for key, value in fields.items(multi=True):
        if key.endswith("-objective_id"):
            index = int(key.split("-")[1])
            titles[_title_of(page, value)] = index
    return fields, titles


def _title_of(page: str, objective_id: str) -> str:
    start = page.index(f'id="objective-{objective_id}">') + len(f'id="objective-{objective_id}">')
    return page[start:page.index("</h2>", start)].strip()


def filled(fields: MultiDict, titles: dict[str, int], answers: dict[str, dict]) -> MultiDict:
    """The form with some blocks filled: answers by objective title, then by field name."""
    data = MultiDict(fields)
    for title, values in answers.items():
        for name, value in values.items():
            data.setlist(f"objectives-{titles[title]}-{name}", value if isinstance(value, list) else [value])
    return data


def rows(db) -> dict[str, int]:
    """How many rows the page could write to, by table."""
    return {model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
            for model in (ProgressUpdate, ChangeRecord, Notification, LeadLink)}


def listed(client, raw) -> list[str]:
    page = client.get(f"/your-objectives/{raw}").get_data(as_text=True)
    return [_title_of(page, value) for value in _hidden_ids(page)]


def _hidden_ids(page: str) -> list[str]:
    parser = _Inputs()
    parser.feed(page)
    return [value for key, value in parser.fields.items(multi=True) if key.endswith("-objective_id")]


def test_the_page_lists_exactly_the_objectives_each_person_is_asked_about(
        client, db, reminder_world, lead_link, make_contact, make_user, make_objective, make_plan,
        make_key_priority):
    w = reminder_world
    named = make_objective(w.campaign.key_priority, "Named lead work", leads=[w.cbc])
    named.contact_links = [ObjectiveContact(contact=w.lead)]
    make_objective(w.campaign.key_priority, "Finished work", leads=[w.cbc], status="complete")
    draft = make_key_priority(make_plan("2017-18", status="draft"), 1, "Next year")
    make_objective(draft, "Next year's work", leads=[w.cbc])
    colleague = make_contact(w.cbc, "Cal Colleague", "cal@example.org")
    partner = make_user("partner", agency=w.cbc, name="Pat Partner", email="pat@example.org").contact
    quiet = make_user("lead", agency=w.cbc, name="Sam Silent", email="sam@example.org",
                      receives_reminders=False).contact
    db.session.commit()

    assert listed(client, lead_link(w.lead)) == ["Social media campaign", "Keep Safe scheme", "Named lead work"]
    # A colleague at the lead agency is asked about what their agency leads, not what is named on someone else.
    assert listed(client, lead_link(colleague)) == ["Social media campaign", "Keep Safe scheme"]
    assert listed(client, lead_link(partner)) == []  # a partner login is not asked through their agency
    assert listed(client, lead_link(quiet)) == []  # nor is someone who gets no reminders
    assert listed(client, lead_link(w.kp_lead)) == ["Gangs awareness training"]  # the key priority's lead, lead TBC
    assert listed(client, lead_link(w.coordinator)) == []


def test_opening_the_page_changes_nothing(client, db, reminder_world, lead_link):
    raw = lead_link(reminder_world.lead)
    before = rows(db)
    link_before = db.session.scalar(select(LeadLink))
    state = (link_before.revoked_at, link_before.expires_at)
    for _ in range(3):  # a mail scanner, a preview pane, the person
        response = client.get(f"/your-objectives/{raw}")
        assert response.status_code == 200
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert "Your objectives" in page and "Keep Safe scheme" in page
    assert 'name="objectives-1-funding_amount"' in page and 'name="objectives-0-funding_amount"' not in page
    db.session.expire_all()
    assert rows(db) == before
    link_after = db.session.scalar(select(LeadLink))
    assert (link_after.revoked_at, link_after.expires_at) == state


def test_saving_records_what_was_filled_and_leaves_the_rest(client, db, reminder_world, lead_link):
    w = reminder_world
    raw = lead_link(w.lead)
    fields, titles = opened_form(client, raw)
    response = client.post(f"/your-objectives/{raw}", data=filled(fields, titles, {
        "Social media campaign": {"text": "Campaign launched", "rag": "amber",
                                  "requested_end_date": ["31", "5", "2017"]},
        "Keep Safe scheme": {"text": "Funding agreed at the board", "rag": "green", "funding_amount": "£5,000",
                             "funding_source": "SCP", "funding_pot": "16-17 allocation"},
    }))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/your-objectives/{raw}?saved=2"
    db.session.expire_all()
    campaign, keep_safe = w.campaign.latest_progress, w.keep_safe.latest_progress
    assert (campaign.text, campaign.rag, campaign.source, campaign.author_contact_id) == (
        "Campaign launched", "amber", "email_link", w.lead.id)
    assert (campaign.requested_end_date, campaign.end_date_request_status) == (date(2017, 5, 31), "pending")
    assert w.campaign.rag == "amber" and w.campaign.end_date == date(2017, 4, 30)
    assert keep_safe.requested_funding == {"amount_pence": 500_000, "source": "SCP", "pot": "16-17 allocation"}
    assert keep_safe.funding_request_status == "pending" and keep_safe.rag == "green"
    assert [line.status for line in w.keep_safe.funding_lines] == ["tbc"]  # until the coordinator agrees

    again = client.get(response.headers["Location"])  # the link keeps working, and shows what was recorded
    page = again.get_data(as_text=True)
    assert again.status_code == 200 and "Your updates have been saved" in page
    assert "Campaign launched" in page and "a new end date of 31 May 2017" in page
    assert "funding of £5,000 SCP (16-17 allocation)" in page


def test_invalid_input_saves_nothing_and_keeps_what_was_entered(client, db, reminder_world, lead_link):
    w = reminder_world
    raw = lead_link(w.lead)
    before = rows(db)
    fields, titles = opened_form(client, raw)
    response = client.post(f"/your-objectives/{raw}", data=filled(fields, titles, {
        "Social media campaign": {"text": "Campaign launched", "rag": "amber"},
        "Keep Safe scheme": {"text": "Nearly agreed", "funding_amount": "lots", "funding_source": ""},
    }))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    assert "Enter the amount in pounds, like 5,000 or 1,250.50 for Keep Safe scheme" in page
    assert f'href="#objectives-{titles["Keep Safe scheme"]}-funding_amount"' in page
    assert "Enter who pays for Keep Safe scheme" in page
    assert "Campaign launched" in page and "Nearly agreed" in page and 'value="lots"' in page
    db.session.expire_all()
    assert rows(db) == before and w.campaign.rag is None


def test_a_filled_block_needs_progress_text_and_saving_nothing_says_so(client, db, reminder_world, lead_link):
    w = reminder_world
    raw = lead_link(w.lead)
    before = rows(db)
    fields, titles = opened_form(client, raw)
    nothing = client.post(f"/your-objectives/{raw}", data=fields).get_data(as_text=True)
    assert "Enter the progress on at least one objective before you save" in nothing
    empty = client.post(f"/your-objectives/{raw}", data={})  # a crafted POST: the blocks are drawn again
    assert empty.status_code == 200
    assert "Enter the progress on at least one objective before you save" in empty.get_data(as_text=True)
    assert _hidden_ids(empty.get_data(as_text=True)) == [str(w.campaign.id), str(w.keep_safe.id)]
    only_rag = client.post(f"/your-objectives/{raw}", data=filled(fields, titles, {
        "Social media campaign": {"rag": "red"}})).get_data(as_text=True)
    assert "Enter the progress on Social media campaign" in only_rag
    db.session.expire_all()
    assert rows(db) == before


def test_a_key_priority_lead_proposes_a_lead_agency_and_the_coordinator_approves(app, client, db, reminder_world,
                                                                                 lead_link, login):
    w = reminder_world
    raw = lead_link(w.kp_lead)
    fields, titles = opened_form(client, raw)
    response = client.post(f"/your-objectives/{raw}", data=filled(fields, titles, {
        "Gangs awareness training": {"text": "CBC will take this on", "rag": "amber", "lead_agency": str(w.cbc.id)}}))
    assert response.status_code == 302
    db.session.expire_all()
    update = w.gangs.latest_progress
    assert (update.requested_agency_ids, update.lead_request_status) == ([w.cbc.id], "pending")
    assert w.gangs.lead_agencies == []
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "CBC leading it" in page

    coordinator = login(w.coordinator_user, app.test_client())
    assert "Gangs awareness training" in coordinator.get("/end-date-requests").get_data(as_text=True)
    coordinator.post(f"/lead-requests/{update.id}", data={"decision": "approve"})
    db.session.expire_all()
    assert [agency.abbreviation for agency in w.gangs.lead_agencies] == ["CBC"]
    assert w.gangs.lead_status == "set"
    assert listed(client, raw) == []  # the key priority's lead is no longer asked about it


def test_an_objective_changed_since_opening_is_refused_until_seen(client, db, reminder_world, lead_link):
    w = reminder_world
    raw = lead_link(w.lead)
    fields, titles = opened_form(client, raw)
    w.campaign.rag = "red"  # the coordinator changed it meanwhile
    db.session.commit()
    before = rows(db)
    answer = {"Social media campaign": {"text": "All fine", "rag": "green"}}
    refused = client.post(f"/your-objectives/{raw}", data=filled(fields, titles, answer))
    assert refused.status_code == 409
    assert "Social media campaign was changed by someone else since you opened this page" in \
        refused.get_data(as_text=True)
    db.session.expire_all()
    assert rows(db) == before and w.campaign.rag == "red"
    parser = _Inputs()
    parser.feed(refused.get_data(as_text=True))
    restamped = MultiDict(parser.fields)
    restamped.pop("csrf_token", None)
    saved = client.post(f"/your-objectives/{raw}", data=filled(restamped, titles, answer))
    assert saved.status_code == 302
    db.session.expire_all()
    assert w.campaign.rag == "green"


def _expired(db, w, lead_link):
    return lead_link(w.lead, issued=utcnow() - timedelta(days=31))


def _revoked(db, w, lead_link):
    raw = lead_link(w.lead)
    db.session.scalar(select(LeadLink)).revoked_at = utcnow()
    db.session.commit()
    return raw


def _round_closed(db, w, lead_link):
    closed = ReportingRound(plan_id=w.campaign.key_priority.plan_id, name="June board", deadline=date(2017, 6, 1),
                            closed_at=utcnow())
    db.session.add(closed)
    db.session.commit()
    return lead_link(w.lead, round_id=closed.id)


def _address_changed(db, w, lead_link):
    raw = lead_link(w.lead)
    w.lead.email = "lee.new@example.org"
    db.session.commit()
    return raw


def _left(db, w, lead_link):
    raw = lead_link(w.lead)
    w.lead.is_active = False
    db.session.commit()
    return raw


def _unknown(db, w, lead_link):
    return lead_link(w.lead)[:-1] + "x"


@pytest.mark.parametrize(("make", "status", "says"), [
    (_expired, 410, "This link has expired."),
    (_revoked, 410, "This link has been replaced by a newer one."),
    (_round_closed, 410, "This link was for a round of updates that has now closed."),
    (_address_changed, 410, "the email address it was sent to has changed"),
    (_left, 410, "the person it was sent to no longer has access"),
    (_unknown, 404, "This link is not one we sent"),
])
def test_a_link_that_no_longer_works_says_why_and_saves_nothing(client, db, reminder_world, lead_link, make,
                                                                 status, says):
    raw = make(db, reminder_world, lead_link)
    before = rows(db)
    opened = client.get(f"/your-objectives/{raw}")
    assert opened.status_code == status and says in opened.get_data(as_text=True)
    assert "Your next reminder will bring a new one" in opened.get_data(as_text=True) or status == 404
    posted = client.post(f"/your-objectives/{raw}", data={"objectives-0-objective_id": str(reminder_world.campaign.id),
                                                          "objectives-0-text": "Sneaked in", "objectives-0-rag": "red"})
    assert posted.status_code == status
    db.session.expire_all()
    assert rows(db) == before


def test_a_round_closing_while_the_page_is_open_refuses_the_save(client, db, reminder_world, lead_link):
    w = reminder_world
    board = ReportingRound(plan_id=w.campaign.key_priority.plan_id, name="June board", deadline=date(2017, 6, 1))
    db.session.add(board)
    db.session.commit()
    raw = lead_link(w.lead, round_id=board.id)
    fields, titles = opened_form(client, raw)
    board.closed_at = utcnow()
    db.session.commit()
    before = rows(db)
    response = client.post(f"/your-objectives/{raw}", data=filled(fields, titles, {
        "Social media campaign": {"text": "Late news", "rag": "green"}}))
    assert response.status_code == 410
    db.session.expire_all()
    assert rows(db) == before


def test_the_page_reads_the_same_few_queries_however_many_objectives(client, db, reminder_world, lead_link,
                                                                     make_objective, make_contact, count_queries):
    w = reminder_world
    raw = lead_link(w.lead)

    def queries() -> int:
        db.session.expire_all()
        with count_queries() as statements:
            assert client.get(f"/your-objectives/{raw}").status_code == 200
        return len(statements)

    few = queries()
    for n in range(6):  # more objectives, each with funding, colleagues and a request waiting
        objective = make_objective(w.campaign.key_priority, f"More work {n}", leads=[w.cbc, w.cbh],
                                   funding=[{"status": "tbc", "text": "TBC"}])
        make_contact(w.cbc, f"Colleague {n}", f"colleague{n}@example.org")
        objective.progress_updates.insert(0, ProgressUpdate(text="Asked", rag="amber", recorded_at=utcnow(),
                                                            requested_end_date=date(2017, 9, 30),
                                                            end_date_request_status="pending"))
    db.session.commit()
    assert queries() == few
    assert few <= 15, few  # 14, and one for the indicator figures the contact provides (none here)
