"""The reminder run: one digest per person, recorded once, the same number of queries however big the plan."""

import json
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from support.reminders import PLAN_START

from scp_tracker.mail.models import OutboxMessage
from scp_tracker.plans.models import FundingLine, Objective, ObjectiveLead, ProgressUpdate, UpdateToken
from scp_tracker.reminders.models import LeadLink, ReminderRecord, ReminderSetting
from scp_tracker.reminders.rules import ReminderSettings
from scp_tracker.reminders.services import run_reminders
from scp_tracker.reminders.settings import load_settings, save_settings

RUN_DAY = date(2017, 4, 18)
NOW = datetime(2017, 4, 18, 6, 0, tzinfo=UTC)


def counts(db):
    """How many reminder records, outbox emails and links (update links and "Your objectives" links) there are."""
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (ReminderRecord, OutboxMessage, UpdateToken, LeadLink))


def test_a_run_queues_one_email_per_person_the_coordinators_with_the_summary(db, reminder_world):
    w = reminder_world
    report = run_reminders(RUN_DAY, now=NOW)
    db.session.commit()

    assert [(d.contact.name, [(i.reminder.kind, i.objective.title) for i in d.items]) for d in report.digests] == [
        ("Cora Coordinator", [("tbc_lead", "Gangs awareness training"), ("no_contact", "Walk and talk event")]),
        ("Kim Priority", [("tbc_lead", "Gangs awareness training")]),
        ("Lee Lead", [("due_soon", "Social media campaign"), ("tbc_funding", "Keep Safe scheme")]),
    ]
    outbox = {m.key: m for m in db.session.scalars(select(OutboxMessage))}
    # One email each: the coordinator's carries the run summary (18 April 2017 is a Tuesday, the weekly day).
    assert set(outbox) == {
        f"digest:2017-04-18:{w.coordinator.id}", f"digest:2017-04-18:{w.kp_lead.id}", f"digest:2017-04-18:{w.lead.id}",
    }
    lee = outbox[f"digest:2017-04-18:{w.lead.id}"]
    assert lee.to_address == "lee.lead@example.org"
    assert lee.kind == "reminder_digest"
    assert lee.reply_to == "cora@example.org"  # no MAIL_REPLY_TO: the coordinator
    assert lee.subject == "Reminders for 18 April 2017: 2 objectives to update"
    records = db.session.scalars(select(ReminderRecord).where(ReminderRecord.contact_id == w.lead.id)).all()
    assert {(r.kind, r.stage_or_period, r.outbox_key, r.sent_on) for r in records} == {
        ("due_soon", "2017-04-30:14", lee.key, RUN_DAY),
        ("tbc_funding", "2016-04-01:13", lee.key, RUN_DAY),
    }
    # One "Your objectives" link per person asked about something (the coordinator is not asked: sign-in links).
    links = db.session.execute(select(LeadLink.contact_id, LeadLink.round_id)).all()
    assert sorted(links) == sorted([(w.lead.id, None), (w.kp_lead.id, None)])
    assert db.session.scalar(select(func.count()).select_from(UpdateToken)) == 0
    summary = outbox[f"digest:2017-04-18:{w.coordinator.id}"]
    assert summary.kind == "reminder_summary"
    assert summary.subject == "Reminders and summary for 18 April 2017: 2 objectives to follow up and 2 emails sent"
    assert 'To lee.lead@example.org: "Reminders for 18 April 2017: 2 objectives to update"' in summary.text_body
    assert "Walk and talk event" in summary.text_body.split("Objectives with nobody to remind")[1]
    assert "/your-objectives/" not in summary.text_body
    assert f"/objectives/{w.gangs.id}" in summary.text_body


def test_a_second_run_on_the_same_date_sends_nothing_new(db, reminder_world):
    first = run_reminders(RUN_DAY, now=NOW)
    db.session.commit()
    before = counts(db)
    second = run_reminders(RUN_DAY, now=NOW + timedelta(hours=3))
    db.session.commit()
    assert first.digests and first.summaries_queued == 1 and second.digests == []
    assert second.summaries_queued == 0
    assert counts(db) == before


def test_a_missed_day_is_caught_up_on_the_next_run(db, reminder_world):
    # Nothing ran on 18 April (the weekly day): the run on the 19th sends the 14-day reminder, then nothing more
    # that week.
    report = run_reminders(date(2017, 4, 19), now=NOW)
    db.session.commit()
    lee = next(d for d in report.digests if d.contact.id == reminder_world.lead.id)
    assert [(i.reminder.kind, i.reminder.stage_or_period) for i in lee.items][0] == ("due_soon", "2017-04-30:14")
    assert run_reminders(date(2017, 4, 20), now=NOW).digests == []


def test_a_reminder_sent_is_not_sent_again_on_any_later_day(db, reminder_world):
    # The run only loads records recent enough to match (the longest stage or repeat period): every key sent
    # today must still be found on each later day, up to and past the longest period.
    sent = {item.reminder.key for digest in run_reminders(RUN_DAY, now=NOW).digests for item in digest.items}
    db.session.commit()
    assert {kind for _, kind, _, _ in sent} >= {"due_soon", "tbc_funding", "tbc_lead", "no_contact"}
    for days in range(1, 60):
        report = run_reminders(RUN_DAY + timedelta(days=days), now=NOW, dry_run=True, force=True)
        again = {item.reminder.key for digest in report.digests for item in digest.items} & sent
        assert again == set(), f"{days} days later"


def test_a_dry_run_writes_nothing(db, reminder_world):
    before = counts(db)
    report = run_reminders(RUN_DAY, now=NOW, dry_run=True)
    db.session.commit()
    assert len(report.digests) == 3
    assert all(digest.lead_link == "" for digest in report.digests)
    assert counts(db) == before


def test_new_reminders_later_the_same_day_go_out_in_another_digest(db, reminder_world, make_objective):
    w = reminder_world
    run_reminders(RUN_DAY, now=NOW)
    db.session.commit()
    # Due the day after: the day-before-end-date reminder is outside the weekly budget.
    make_objective(w.campaign.key_priority, "Hidden harms event", leads=[w.cbc], end_date=date(2017, 4, 19),
                   created_at=PLAN_START, last_progress_at=NOW)
    report = run_reminders(RUN_DAY, now=NOW + timedelta(hours=2), force=True)
    db.session.commit()
    assert [(d.contact.id, d.outbox_key) for d in report.digests] == [
        (w.lead.id, f"digest:2017-04-18:{w.lead.id}:2")]
    assert [i.objective.title for i in report.digests[0].items] == ["Hidden harms event"]


def test_paused_and_opted_out_people_are_left_out(db, reminder_world):
    w = reminder_world
    w.kp_lead.reminders_paused_until = date(2017, 4, 30)
    db.session.commit()
    names = [d.contact.name for d in run_reminders(RUN_DAY, now=NOW, dry_run=True).digests]
    assert names == ["Cora Coordinator", "Lee Lead"]


def test_a_scheduled_run_skips_weekends_and_bank_holidays_unless_forced(db, reminder_world):
    easter_monday = date(2017, 4, 17)
    skipped = run_reminders(easter_monday, now=NOW)
    assert skipped.digests == [] and "not a run day" in skipped.skipped
    # Forced on Easter Monday, only what goes on its own day is sent: the weekly day is the Tuesday.
    assert run_reminders(easter_monday, now=NOW, dry_run=True, force=True).digests == []
    assert run_reminders(RUN_DAY, now=NOW, dry_run=True).digests


def test_no_reminders_for_archived_plans_or_complete_objectives(db, reminder_world):
    w = reminder_world
    w.campaign.status = "complete"
    w.keep_safe.status = "cancelled"
    db.session.commit()
    kinds = {i.reminder.kind for d in run_reminders(RUN_DAY, now=NOW, dry_run=True).digests for i in d.items}
    assert kinds == {"tbc_lead", "no_contact"}
    w.campaign.key_priority.plan.status = "archived"
    db.session.commit()
    assert all(not d.items and not d.events for d in run_reminders(RUN_DAY, now=NOW, dry_run=True).digests)


def test_settings_saved_by_the_coordinator_are_used(db, reminder_world):
    save_settings(ReminderSettings(due_soon_stages=(10,), run_hour=8), user_id=reminder_world.coordinator_user.id,
                  now=NOW)
    db.session.commit()
    assert load_settings().due_soon_stages == (10,)
    assert load_settings().run_hour == 8
    assert db.session.scalar(select(func.count()).select_from(ReminderSetting)) == 2
    kinds = {i.reminder.kind for d in run_reminders(RUN_DAY, now=NOW, dry_run=True).digests for i in d.items}
    assert "due_soon" not in kinds  # 12 days left: no stage of 10 yet


def test_preview_json_has_the_documented_shape_and_writes_nothing(db, runner, reminder_world):
    before = counts(db)
    result = runner.invoke(args=["reminders", "preview", "--on", "2017-04-18", "--json"])
    assert result.exit_code == 0, result.output
    emails = json.loads(result.output)
    lee = next(e for e in emails if e["to"] == "lee.lead@example.org")
    assert lee["kinds"] == ["due_soon", "tbc_funding"]
    assert lee["items"][0] == {"objective_id": reminder_world.campaign.id, "kind": "due_soon",
                               "detail": lee["items"][0]["detail"]}
    assert lee["items"][0]["detail"].startswith("Due in 12 days, on 30 April 2017.")
    assert {tuple(sorted(item)) for e in emails for item in e["items"]} == {("detail", "kind", "objective_id")}
    assert counts(db) == before


def test_preview_in_words(db, runner, reminder_world):
    result = runner.invoke(args=["reminders", "preview", "--on", "2017-04-17"])
    assert result.exit_code == 0, result.output
    assert "the scheduled run skips Monday 17 April 2017" in result.output
    result = runner.invoke(args=["reminders", "preview", "--on", "2017-04-18"])
    assert "To Lee Lead <lee.lead@example.org>: 2 reminders" in result.output
    assert "Nobody to remind: Walk and talk event" in result.output


def _bulk_objectives(db, world, count: int) -> None:
    """count objectives of every sort (due, TBC funding, lead TBC, progress), committed at once."""
    kp = world.campaign.key_priority
    for n in range(count):
        objective = Objective(key_priority=kp, title=f"Bulk objective {n}", position=100 + n,
                              end_date=date(2017, 4, 20 + n % 10), end_date_status="set",
                              lead_status="set" if n % 3 else "tbc", created_at=PLAN_START)
        if n % 3:
            objective.lead_links = [ObjectiveLead(agency=world.cbc if n % 2 else world.catch22, position=0)]
        if n % 4 == 0:
            objective.funding_lines = [FundingLine(status="tbc", text="TBC", position=0)]
        objective.progress_updates = [ProgressUpdate(text=f"Update {n}", recorded_at=PLAN_START, source="import")]
        objective.last_progress_at = PLAN_START
        db.session.add(objective)
    db.session.commit()


def test_the_run_loads_its_facts_in_a_fixed_number_of_queries(db, reminder_world, count_queries):
    _bulk_objectives(db, reminder_world, 10)
    with count_queries() as small:
        small_report = run_reminders(RUN_DAY, now=NOW, dry_run=True)
    db.session.rollback()
    _bulk_objectives(db, reminder_world, 990)
    with count_queries() as large:
        large_report = run_reminders(RUN_DAY, now=NOW, dry_run=True)
    db.session.rollback()
    assert large_report.reminder_count > small_report.reminder_count * 20
    # Six for the facts (the plans' rounds and their updates included), the week's sent reminders, the last
    # summary, the records and the events: the benchmark's target is twelve.
    assert len(small) == len(large) <= 12


def test_writing_the_run_does_not_grow_with_objectives(db, reminder_world, count_queries):
    # Recipients stay the same three people; only the objectives grow.
    _bulk_objectives(db, reminder_world, 10)
    with count_queries() as small:
        run_reminders(RUN_DAY, now=NOW)
    db.session.rollback()
    _bulk_objectives(db, reminder_world, 990)
    with count_queries() as large:
        run_reminders(RUN_DAY, now=NOW)
    db.session.rollback()
    # Bulk inserts are batched by the driver (1,000 rows a statement), so allow a few more statements.
    assert len(large) - len(small) <= 8


def test_the_summary_tells_the_coordinator_what_failed_since_the_last_one(db, reminder_world):
    from scp_tracker.mail.services import enqueue

    failed = enqueue(to="gone@example.org", subject="Reminders for 17 April 2017", text_body="…", key="old", now=NOW)
    failed.status, failed.failed_at, failed.last_error = "failed", NOW, "The mail server refused the address: 550"
    db.session.commit()
    run_reminders(RUN_DAY, now=NOW + timedelta(hours=1))
    db.session.commit()
    summary = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "reminder_summary"))
    assert 'To gone@example.org: "Reminders for 17 April 2017"' in summary.text_body
    assert "refused the address: 550" in summary.html_body

    # The next summary (the next week's, on 25 April) reports only what failed since this one.
    assert run_reminders(date(2017, 4, 25), now=NOW + timedelta(days=7)).digests
    db.session.commit()
    later = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "reminder_summary")
                               .order_by(OutboxMessage.id)).all()[-1]
    assert later.key.startswith("digest:2017-04-25:")
    assert "gone@example.org" not in later.text_body


def test_an_event_awaiting_its_outcome_is_in_the_organisers_digest_until_recorded(db, reminder_world, make_event):
    """event_outcome: the organising agency's contacts are asked as often as overdue, within the weekly email;
    recording attendance ends it."""
    w = reminder_world
    event = make_event(w.cbc, title="Crucial Crew", starts_on=date(2017, 4, 12), status="planned")
    report = run_reminders(RUN_DAY, now=NOW)
    db.session.commit()
    lee = next(d for d in report.digests if d.contact.id == w.lead.id)
    assert [(i.reminder.kind, i.event.title) for i in lee.events] == [("event_outcome", "Crucial Crew")]
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == "lee.lead@example.org"))
    assert message.subject == "Reminders for 18 April 2017: 2 objectives to update and 1 event to record"
    assert "Event waiting for attendance and outcome" in message.text_body
    assert f"/events/{event.id}/edit" in message.text_body and "Crucial Crew" in message.html_body

    # The same week: nothing new; a fortnight later: asked again; attendance recorded: never again.
    assert run_reminders(RUN_DAY + timedelta(days=1), now=NOW).digests == []
    later = run_reminders(RUN_DAY + timedelta(days=14), now=NOW, dry_run=True)
    lee_preview = next(entry for entry in later.as_json() if entry["to"] == "lee.lead@example.org")
    assert "event_outcome" in lee_preview["kinds"]
    event_items = [item for item in lee_preview["items"] if item["kind"] == "event_outcome"]
    assert [(item["event_id"], item["objective_id"]) for item in event_items] == [(event.id, None)]
    event.attendance = 40
    db.session.commit()
    after = run_reminders(RUN_DAY + timedelta(days=14), now=NOW, dry_run=True)
    assert not any(d.events for d in after.digests)
