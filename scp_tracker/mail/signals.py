"""What the outbox announces, so other areas can tell someone without mail depending on them."""

from blinker import Namespace

signals = Namespace()

# sender: None; outbox_id, to_address, subject, reason, now. Sent in the transaction that marks the email failed.
message_failed_permanently = signals.signal("message-failed-permanently")
