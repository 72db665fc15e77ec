"""What the events area announces, so other areas can follow events recorded without events depending on them.

Sent inside the caller's transaction, after the change is flushed.
"""

from blinker import Namespace

signals = Namespace()

# sender: the Event just recorded; actor: Actor; now: datetime.
event_recorded = signals.signal("event-recorded")
