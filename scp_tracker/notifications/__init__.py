"""Notifications: telling each person, promptly, when something that concerns them changes."""

from flask import Flask

from scp_tracker.notifications import models  # noqa: F401  (registers the tables)


def register(app: Flask) -> None:
    """Follow the other areas' signals, and register the notification pages and the header's unread count."""
    from scp_tracker.events.signals import event_recorded
    from scp_tracker.mail.signals import message_failed_permanently
    from scp_tracker.notifications import receivers, views
    from scp_tracker.operations.signals import scheduler_stopped
    from scp_tracker.plans import signals as plans

    # Signals are process-wide: connecting again for another app is a no-op, and each receiver checks that
    # the app it runs in registered this area. Strong references: the receivers live as long as the module.
    for signal, receiver in (
        (plans.objectives_changed, receivers.on_objectives_changed),
        (plans.progress_added, receivers.on_progress_added),
        (plans.end_date_requested, receivers.on_end_date_requested),
        (plans.end_date_request_decided, receivers.on_end_date_request_decided),
        (plans.funding_requested, receivers.on_funding_requested),
        (plans.funding_request_decided, receivers.on_funding_request_decided),
        (event_recorded, receivers.on_event_recorded),
        (message_failed_permanently, receivers.on_message_failed),
        (scheduler_stopped, receivers.on_scheduler_stopped),
    ):
        signal.connect(receiver, weak=False)
    app.extensions["notifications"] = True
    app.register_blueprint(views.bp)
    app.add_template_global(views.unread_notifications)
    app.before_request(views.notice_stopped_scheduler)
