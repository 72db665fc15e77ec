"""What the rounds area announces, so the reminders above it can act without rounds depending on them."""

from blinker import Namespace

signals = Namespace()

# sender: the ReportingRound's id; contact_ids: [int] the leads the coordinator chose; actor: Actor;
# today: date (London); now: datetime. The reminders area listens and queues the emails in the same transaction.
remind_now_requested = signals.signal("remind-now-requested")
