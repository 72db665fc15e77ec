"""What operations announces about the scheduler, so other areas can tell the coordinator.

A stopped scheduler cannot say it has stopped: the web app notices, when a coordinator opens a page.
"""

from blinker import Namespace

signals = Namespace()

# sender: the SchedulerState (status "stopped", last_beat_at); now: datetime. Sent on every check during an
# outage: receivers key what they write by last_beat_at, so each outage is reported once.
scheduler_stopped = signals.signal("scheduler-stopped")
