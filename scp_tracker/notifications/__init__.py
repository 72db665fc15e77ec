"""Notifications: telling each person, promptly, when something that concerns them changes."""

from flask import Flask

from scp_tracker.notifications import models  # noqa: F401  (registers the tables)


def register(app: Flask) -> None:
    """Follow the other areas' signals, and register the notification pages and the header's unread count."""
    from scp_tracker.events.signals import event_recorded
    from scp_tracker.mail.signals import message_failed_permanently
    from scp_tracker.notifications import services, views
    from scp_tracker.operations.signals import scheduler_stopped
    from scp_tracker.plans import signals as plans

    # Signals are process-wide: connecting again for another app is a no-op, and each receiver checks that
    # the app it runs in registered this area. Strong references: the receivers live as long as the module.
    for signal, receiver in (
        (plans.objectives_changed, services.on_objectives_changed),
        (plans.progress_added, services.on_progress_added),
        (plans.end_date_requested, services.on_end_date_requested),
        (plans.end_date_request_decided, services.on_end_date_request_decided),
        (event_recorded, services.on_event_recorded),
        (message_failed_permanently, services.on_message_failed),
        (scheduler_stopped, services.on_scheduler_stopped),
    ):
        signal.connect(receiver, weak=False)
    app.extensions["notifications"] = True
    app.register_blueprint(views.bp)
    app.add_template_global(views.unread_notifications)
    app.before_request(views.notice_stopped_scheduler)
