"""Plans: plans, key priorities, objectives, funding, progress updates and change history."""

from flask import Flask

from scp_tracker.plans import models  # noqa: F401  (registers the tables)


def register(app: Flask) -> None:
    """Register this area's blueprint and the template filters that word the plan."""
    # oversight_views and plan_life_views add their pages to bp
    from scp_tracker.plans import key_priority_leads, oversight_views, plan_life_views, wording  # noqa: F401
    from scp_tracker.plans.views import bp

    app.register_blueprint(bp)
    wording.register_filters(app)
    key_priority_leads.register(app)
