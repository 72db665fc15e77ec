"""Events area: events partners held (or plan to hold), who came and how it went."""

from flask import Flask

from scp_tracker.events import key_priorities, models  # noqa: F401  (registers the tables and the flush hook)


def register(app: Flask) -> None:
    """Register this area's blueprint, and what its partials on other areas' pages call."""
    from scp_tracker.events import views
    from scp_tracker.events.figures import dashboard_figures, held_since
    from scp_tracker.events.listing import events_for_objective
    from scp_tracker.events.outcomes_due import events_awaiting_outcome

    app.register_blueprint(views.bp)
    # Plans pages include this area's partials, which fetch their own figures through these globals:
    # plans must not import events (dependencies point one way: plans <- events).
    app.add_template_global(events_for_objective, "events_for_objective")
    app.add_template_global(dashboard_figures, "event_dashboard_figures")
    app.add_template_global(held_since, "events_held_since")
    app.add_template_global(events_awaiting_outcome, "events_awaiting_outcome_on")
