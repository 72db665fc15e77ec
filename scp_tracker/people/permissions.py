"""Who may do what: the one place roles are checked, for views, templates and services alike.

A login may hold several roles; it may do whatever any of them allows (the union).
"""

from functools import wraps

from flask import abort
from flask_login import current_user

from scp_tracker.extensions import login_manager
from scp_tracker.people.models import KEY_PRIORITY_LEAD


def _signed_in(user) -> bool:
    """A real, enabled login (not the anonymous user, not a disabled account)."""
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def has_role(user, *roles: str) -> bool:
    """Whether the user is signed in holding at least one of these roles."""
    return _signed_in(user) and not user.roles.isdisjoint(roles)


def role_required(*roles: str):
    """View decorator: anonymous people go to sign in; signed-in people without one of the roles get 403.

    With no roles, any signed-in user may pass.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not _signed_in(current_user):
                return login_manager.unauthorized()
            if roles and current_user.roles.isdisjoint(roles):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_roles = roles  # type: ignore[attr-defined]  # read by may_open (the navigation)
        return wrapped

    return decorator


def may_open(user, view) -> bool:
    """Whether the user passes the view's role_required check; a view without one decides for itself (open)."""
    roles = getattr(view, "required_roles", None)
    if roles is None:
        return True
    return _signed_in(user) and (not roles or not user.roles.isdisjoint(roles))


def can_manage(user) -> bool:
    """The coordinator manages the plan, agencies, contacts and logins."""
    return has_role(user, "coordinator")


def can_edit_objective(user, objective) -> bool:
    """The coordinator always; a key priority lead for every objective of their key priority; a lead whose agency
    leads the objective, or who is named on it."""
    if can_manage(user):
        return True
    if has_role(user, KEY_PRIORITY_LEAD) and objective.key_priority_id in user.led_key_priority_ids:
        return True
    if not has_role(user, "lead"):
        return False
    agency_id = user.contact.agency_id
    return any(link.agency_id == agency_id for link in objective.lead_links) or any(
        link.contact_id == user.contact_id for link in objective.contact_links
    )


def can_change_lead_agencies(user) -> bool:
    """Only the coordinator moves an objective to other agencies; a lead asks them (a lead agency request)."""
    return can_manage(user)


def can_ask_lead_change(user, objective) -> bool:
    """A lead of the objective (not the coordinator, who changes them directly) may ask to change its agencies."""
    return not can_change_lead_agencies(user) and can_edit_objective(user, objective)


def can_add_progress(user, objective) -> bool:
    """Whoever may edit an objective may add progress to it."""
    return can_edit_objective(user, objective)


def can_record_event_for(user, agency_id: int | None) -> bool:
    """The coordinator for any agency; a lead or partner for their own agency only."""
    if can_manage(user):
        return True
    return has_role(user, "lead", "partner") and agency_id is not None and user.contact.agency_id == agency_id
