"""Late indicator figures chased in a round like an objective: on the call and the reminder step each late figure's
provider is asked for it, once per step, in the same one email as their objectives, with the one link that opens
the figure's field; a figure given stops the chase; "remind now" and "who was reminded when" include providers."""

import json
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select
from support.reminders import MAY_DEADLINE

from scp_tracker.core.clock import today_in_london, utcnow
from scp_tracker.indicators.models import Indicator
from scp_tracker.indicators.services import record_figure
from scp_tracker.indicators.summaries import due_period
from scp_tracker.mail.models import OutboxMessage
from scp_tracker.reminders.lead_links import find_lead_link
from scp_tracker.reminders.models import FigureReminderRecord
from scp_tracker.reminders.round_reminders import remind_now_requested, reminders_for_round
from scp_tracker.reminders.services import run_reminders
from scp_tracker.rounds.models import ReportingRound

# The May round: deadline Wednesday 31 May 2017; call Wednesday 10 May, reminder 24 May. The plan's year ends in
# March 2017, so the figure for January to March 2017 (due 30 April) is late throughout.
DEADLINE = MAY_DEADLINE  # tests.support.reminders: the May round
CALL_DAY, REMINDER_DAY = date(2017, 5, 10), date(2017, 5, 24)


def _at(day: date) -> datetime:
    return datetime.combine(day, time(6), UTC)


@pytest.fixture
def figure_round(db, reminder_world, may_round, make_agency, make_contact):
    """The May round, Pat Provider (Essex Police, leads no objective) providing knife crime figures, and Colchester
    Borough Homes (Kim Priority's agency) providing antisocial behaviour figures; both late for Jan to Mar 2017."""
    w = reminder_world
    plan = w.campaign.key_priority.plan
    round_ = may_round
    pat = make_contact(make_agency("EP", "Essex Police"), "Pat Provider", "pat.provider@example.org")
    knife = Indicator(plan=plan, key_priority=w.campaign.key_priority, name="Knife crime offences", unit="offences",
                      provider_contact=pat, target_value=10)
    asb = Indicator(plan=plan, key_priority=w.campaign.key_priority, name="Antisocial behaviour incidents",
                    provider_agency=w.cbh, position=1, target_value=100)
    db.session.add_all([round_, knife, asb])
    db.session.commit()
    return round_, pat, knife, asb


def _emails(db, address: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == address)
                                   .order_by(OutboxMessage.id)))


def _run_days(db, first: date, last: date) -> None:
    day = first
    while day <= last:
        run_reminders(day, now=_at(day))
        db.session.commit()
        day += timedelta(days=1)


def test_a_provider_leading_no_objective_gets_one_email_with_the_figure_and_the_link_on_the_call_day(
        app, client, db, figure_round):
    round_, pat, knife, _ = figure_round
    _run_days(db, CALL_DAY - timedelta(days=2), REMINDER_DAY - timedelta(days=1))
    run_reminders(CALL_DAY, now=_at(CALL_DAY) + timedelta(hours=1))  # a second run on the call day: nothing new
    db.session.commit()

    [email] = _emails(db, "pat.provider@example.org")
    assert email.key == f"digest:{CALL_DAY.isoformat()}:{pat.id}"
    assert email.subject == "Reminders for 10 May 2017: 1 figure to give"
    text = email.text_body
    assert "A figure you provide for the" in text and "is late" in text
    assert ("Figures to give\n===============\n\nKnife crime offences (offences), Jan to Mar 2017\n"
            "- Update called for: The May 2017 round needs the figure for Jan to Mar 2017 by 31 May 2017.") in text
    assert "Figures to give" in email.html_body and "Knife crime offences (offences)" in email.html_body
    assert ">Give your figure</a>" in email.html_body
    assert "Antisocial behaviour" not in text  # Colchester Borough Homes provides it, not Pat
    # The one link is Pat's, and dies when the round closes (the next test opens one).
    raw = text.split("/your-objectives/")[1].split()[0]
    assert f"/your-objectives/{raw}" in email.html_body
    link = find_lead_link(raw)
    assert (link.contact_id, link.round_id) == (pat.id, round_.id)
    [(kind, stage, outbox_key)] = db.session.execute(
        select(FigureReminderRecord.kind, FigureReminderRecord.stage_or_period, FigureReminderRecord.outbox_key)
        .where(FigureReminderRecord.contact_id == pat.id)).all()
    assert (kind, stage, outbox_key) == ("round_call", f"round:{round_.id}", email.key)


def test_the_reminder_step_asks_again_for_a_figure_not_given_and_not_for_one_given(db, figure_round,
                                                                                   reminder_world):
    round_, pat, knife, asb = figure_round
    kim = reminder_world.kp_lead
    _run_days(db, CALL_DAY, CALL_DAY)
    record_figure(asb, "2017-Q1", 96, "", _at(CALL_DAY + timedelta(days=3)))  # given: the chase stops
    db.session.commit()
    _run_days(db, REMINDER_DAY, REMINDER_DAY)

    pat_emails = _emails(db, "pat.provider@example.org")
    assert [m.key.split(":")[1] for m in pat_emails] == ["2017-05-10", "2017-05-24"]
    assert "Update still to come: The May 2017 round needs the figure" in pat_emails[1].text_body
    asked_kim = db.session.execute(select(FigureReminderRecord.kind, FigureReminderRecord.sent_on)
                                   .where(FigureReminderRecord.contact_id == kim.id)).all()
    assert asked_kim == [("round_call", CALL_DAY)]
    assert not any("Antisocial behaviour" in m.text_body for m in _emails(db, "kim.priority@example.org")
                   if m.key.startswith(f"digest:{REMINDER_DAY.isoformat()}"))


def test_an_agency_provider_is_asked_through_its_people_in_their_one_email(db, figure_round, reminder_world):
    w = reminder_world
    _run_days(db, CALL_DAY, CALL_DAY)
    [kim_email] = [m for m in _emails(db, "kim.priority@example.org") if CALL_DAY.isoformat() in m.key]
    # Kim's agency leads the key priority, so she is asked to propose a lead for gangs training: the same email.
    assert kim_email.subject == "Reminders for 10 May 2017: 1 objective to update and 1 figure to give"
    assert "needs your attention. A figure you provide is late too." in kim_email.text_body
    assert "Antisocial behaviour incidents, Jan to Mar 2017" in kim_email.text_body
    assert "/your-objectives/" in kim_email.text_body
    # Lee leads objectives at another agency: the call about them, in one email, without the figures.
    [lee_email] = _emails(db, "lee.lead@example.org")
    assert lee_email.subject == "Reminders for 10 May 2017: 2 objectives to update"
    assert "Figures to give" not in lee_email.text_body
    assert w.lead.id not in {contact_id for (contact_id,) in db.session.execute(
        select(FigureReminderRecord.contact_id))}


def test_remind_now_asks_a_provider_once_a_day_and_the_round_shows_when(db, figure_round, reminder_world):
    round_, pat, _, _ = figure_round
    today, now = date(2017, 5, 26), datetime(2017, 5, 26, 10, tzinfo=UTC)
    for _ in range(2):
        remind_now_requested.send(round_.id, contact_ids=[pat.id], today=today, now=now)
        db.session.commit()
    [email] = _emails(db, "pat.provider@example.org")
    assert email.subject == "Reminders for 26 May 2017: 1 figure to give"
    assert "Knife crime offences (offences), Jan to Mar 2017" in email.text_body
    assert "/your-objectives/" in email.text_body
    assert reminders_for_round(round_.id) == {pat.id: [(today, "Update still to come")]}


def test_the_round_page_offers_providers_to_remind_and_shows_when_they_were(app, db, figure_round, client_as):
    round_, pat, _, _ = figure_round
    run_reminders(CALL_DAY, now=_at(CALL_DAY))
    db.session.commit()
    page = client_as("coordinator").get(f"/rounds/{round_.id}").get_data(as_text=True)
    assert f'value="{pat.id}"' in page  # Pat leads no objective: offered for the late figure
    figures = page.split("Indicator figures due for this round and not given")[1].split("Remind now")[0]
    assert "Pat Provider: 10 May 2017 (update called for)" in figures
    done = client_as("coordinator").post(f"/rounds/{round_.id}", data={"contacts": [str(pat.id)]},
                                         follow_redirects=True)
    assert "Reminders asked for 1 person: Pat Provider" in done.get_data(as_text=True)


def test_a_call_day_with_late_figures_and_events_loads_its_facts_in_twelve_queries(db, figure_round, make_event,
                                                                                    reminder_world, count_queries):
    make_event(reminder_world.cbc, title="Knife amnesty stall", starts_on=date(2017, 5, 2), status="planned")
    with count_queries() as statements:
        report = run_reminders(CALL_DAY, now=_at(CALL_DAY), dry_run=True)
    assert any(digest.figures for digest in report.digests)
    assert any(digest.events for digest in report.digests)
    assert len(statements) <= 12


def test_the_emails_link_opens_the_figures_field_for_a_provider_with_no_objectives(client, db, make_plan,
                                                                                   make_key_priority, make_agency,
                                                                                   make_contact):
    now = utcnow()
    today = today_in_london(now)
    start = today.year if today.month >= 4 else today.year - 1
    plan = make_plan(f"{start}-{(start + 1) % 100:02d}")
    kp = make_key_priority(plan, 1, "To reduce violence")
    pat = make_contact(make_agency("EP", "Essex Police"), "Pat Provider", "pat.provider@example.org")
    knife = Indicator(plan=plan, key_priority=kp, name="Knife crime offences", unit="offences", frequency="monthly",
                      provider_contact=pat, target_value=10)
    round_ = ReportingRound(plan=plan, name="Next round", deadline=today + timedelta(days=14))
    db.session.add_all([knife, round_])
    db.session.commit()
    remind_now_requested.send(round_.id, contact_ids=[pat.id], today=today, now=now)
    db.session.commit()

    [email] = _emails(db, "pat.provider@example.org")
    label = due_period("monthly", today).label
    assert f"Knife crime offences (offences), {label}" in email.text_body
    raw = email.text_body.split("/your-objectives/")[1].split()[0]
    page = client.get(f"/your-objectives/{raw}").get_data(as_text=True)
    assert f'name="figure-{knife.id}"' in page and f"Knife crime offences, {label} (offences)" in page


def test_the_preview_shows_the_figures_a_run_would_ask_for(db, runner, figure_round, reminder_world, login):
    _, pat, knife, _ = figure_round
    emails = json.loads(runner.invoke(args=["reminders", "preview", "--on", "2017-05-10", "--json"]).output)
    pat_email = next(e for e in emails if e["to"] == "pat.provider@example.org")
    assert pat_email["kinds"] == ["round_call"]
    assert pat_email["items"] == [{"objective_id": None, "indicator_id": knife.id, "period": "2017-Q1",
                                   "kind": "round_call", "detail": pat_email["items"][0]["detail"]}]
    words = runner.invoke(args=["reminders", "preview", "--on", "2017-05-10"]).output
    assert "To Pat Provider <pat.provider@example.org>: 1 reminders" in words
    assert f"Knife crime offences, Jan to Mar 2017 (indicator {knife.id})" in words
    page = login(reminder_world.coordinator_user).get("/reminders/preview?on=10&on=5&on=2017").get_data(as_text=True)
    assert "1 late figure" in page and "Knife crime offences, Jan to Mar 2017: Update called for" in page
    assert db.session.scalar(select(func.count()).select_from(FigureReminderRecord)) == 0
