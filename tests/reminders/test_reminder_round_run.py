"""A round through the reminder run, day by day: the call to every lead, the reminder and the last day to those who
have not updated, one escalation, nothing weekly in between, the email's link bound to the round; "remind now"
from the round page and "who was reminded when"."""

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from support.reminders import MAY_DEADLINE

from scp_tracker.mail.models import OutboxMessage
from scp_tracker.reminders.lead_links import find_lead_link
from scp_tracker.reminders.models import ReminderRecord
from scp_tracker.reminders.round_reminders import remind_now_requested, reminders_for_round
from scp_tracker.reminders.services import run_reminders

DEADLINE = MAY_DEADLINE  # tests.support.reminders: the May round


def _run_days(db, first: date, last: date) -> None:
    day = first
    while day <= last:
        run_reminders(day, now=datetime.combine(day, time(6), UTC))
        db.session.commit()
        day += timedelta(days=1)


def _emails(db, address: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == address)
                                   .order_by(OutboxMessage.id)))


def test_a_round_calls_reminds_and_escalates_once_and_carries_everything_else(db, reminder_world, may_round,
                                                                               progress_at):
    w = reminder_world
    _run_days(db, date(2017, 5, 8), date(2017, 5, 19))
    progress_at(w.keep_safe, datetime(2017, 5, 19, 15, tzinfo=UTC), "On track")  # updated in the round's window
    _run_days(db, date(2017, 5, 20), date(2017, 6, 9))

    lee = _emails(db, "lee.lead@example.org")
    # From the week before the call only the round's steps: no weekly email on the Tuesdays 9, 16, 23 and 30 May,
    # the overdue campaign carried by the steps; after the deadline, the weekly email a week after the last step.
    sent_on = [date.fromisoformat(m.key.split(":")[1]) for m in lee]
    assert sent_on[:3] == [date(2017, 5, 10), date(2017, 5, 24), date(2017, 5, 31)]
    assert all(later - earlier >= timedelta(days=7) for earlier, later in zip(sent_on[2:], sent_on[3:], strict=False))
    call = lee[0]
    assert "Update called for: The May 2017 round needs an update on this objective by 31 May 2017." in call.text_body
    assert call.subject == "Reminders for 10 May 2017: 2 objectives to update"
    raw = call.text_body.split("/your-objectives/")[1].split()[0]
    assert find_lead_link(raw).round_id == may_round.id  # dies when the round closes
    assert "Update still to come" in lee[1].text_body and "Keep Safe scheme" not in lee[1].text_body
    last_day = lee[2].text_body
    assert "Last day for the update" in last_day
    # Keep Safe was updated: no round step for it; its funding, still TBC, is carried by the last day's email.
    keep_safe = last_day.split("Keep Safe scheme\nKey priority")[1].split("\n\n")[0]
    assert "- Funding to be confirmed" in keep_safe and "update" not in keep_safe.split("Why it is here:")[1].lower()

    # One escalation after the deadline, in each one's next weekly email (the coordinator's with the summary), to
    # the key priority's lead and the coordinator: what is missing.
    escalations = db.session.execute(
        select(ReminderRecord.objective_id, ReminderRecord.contact_id, ReminderRecord.sent_on)
        .where(ReminderRecord.kind == "round_escalation")).all()
    assert sorted((o, c) for o, c, _ in escalations) == sorted([
        (w.campaign.id, w.kp_lead.id), (w.campaign.id, w.coordinator.id),
        (w.walk_and_talk.id, w.kp_lead.id), (w.walk_and_talk.id, w.coordinator.id),
        (w.gangs.id, w.kp_lead.id), (w.gangs.id, w.coordinator.id)])
    assert all(DEADLINE < sent <= DEADLINE + timedelta(days=9) for _, _, sent in escalations)
    kim = next(m for m in _emails(db, "kim.priority@example.org") if "No update by the deadline" in m.text_body)
    assert f"/objectives/{w.campaign.id}" in kim.text_body  # a sign-in link: Kim does not lead it

    seen = reminders_for_round(may_round.id)
    assert seen[w.lead.id] == [(date(2017, 5, 10), "Update called for"), (date(2017, 5, 24), "Update still to come"),
                               (date(2017, 5, 31), "Last day for the update")]
    assert [what for _, what in seen[w.kp_lead.id]] == ["No update by the deadline"]


def test_remind_now_from_the_round_page_queues_one_reminder_a_day(db, reminder_world, may_round):
    w = reminder_world
    today, now = date(2017, 5, 26), datetime(2017, 5, 26, 10, tzinfo=UTC)
    for _ in range(2):
        remind_now_requested.send(may_round.id, contact_ids=[w.lead.id], today=today, now=now)
        db.session.commit()
    (email,) = _emails(db, "lee.lead@example.org")
    assert email.subject == "Reminders for 26 May 2017: 2 objectives to update"
    assert "No update yet for the May 2017 round" in email.text_body
    assert reminders_for_round(may_round.id) == {w.lead.id: [(today, "Update still to come")]}
    remind_now_requested.send(may_round.id, contact_ids=[w.lead.id], today=today + timedelta(days=1), now=now)
    db.session.commit()
    assert len(_emails(db, "lee.lead@example.org")) == 2
