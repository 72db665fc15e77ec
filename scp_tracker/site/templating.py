"""Jinja wiring: the GOV.UK template packages, the service navigation, form fields and form error lists."""

from urllib.parse import urlencode

from flask import Flask, current_app, request
from govuk_frontend_wtf.gov_form_base import GovIterableBase
from govuk_frontend_wtf.main import WTFormsHelpers
from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect
from wtforms import Field, FieldList, Form, FormField
from wtforms.widgets import HiddenInput

from scp_tracker.core.formatting import register_filters
from scp_tracker.site.navigation import service_navigation, sub_navigation

SIGN_IN_PATH = "/sign-in"
SIGN_OUT_PATH = "/sign-out"
ROUTED_PATHS_KEY = "scp_tracker.routed_paths"


def configure_jinja(app: Flask) -> None:
    """Find templates in our folder and the two GOV.UK packages; add filters, helpers and names."""
    assert app.template_folder is not None  # the factory sets it explicitly
    app.jinja_loader = ChoiceLoader([
        FileSystemLoader(app.template_folder),
        PrefixLoader({
            "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
            "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
        }),
    ])
    WTFormsHelpers(app)
    register_filters(app)
    app.add_template_global(service_navigation)
    app.add_template_global(sub_navigation)
    app.add_template_global(routed_path)
    app.add_template_global(form_error_list)
    app.add_template_global(field_params)
    app.add_template_global(link_with)
    app.context_processor(_service_names)


def _service_names() -> dict:
    """The names every page shows, and where people write to about the service."""
    return {
        "service_name": current_app.config.get("SERVICE_NAME", "SCP Tracker"),
        "partnership_name": current_app.config["PARTNERSHIP_NAME"],
        "contact_email": contact_email(),
    }


def contact_email() -> str:
    """The address for questions about the service and people's data (the coordinator's team)."""
    return current_app.config.get("PRIVACY_CONTACT_EMAIL", "community.safety@example.org")


def routed_path(path: str, method: str = "GET") -> str | None:
    """The path as a link if some view serves it with this method, else None.

    Areas are built separately, so the layout links by plain path and hides what is not there yet. The
    routes cannot change once the app serves requests, so each answer is kept.
    """
    served = current_app.extensions.setdefault(ROUTED_PATHS_KEY, {})
    if (path, method) not in served:
        served[path, method] = _is_served(path, method)
    return request.script_root + path if served[path, method] else None


def _is_served(path: str, method: str) -> bool:
    """Whether some view serves the path with this method."""
    adapter = current_app.create_url_adapter(request)
    assert adapter is not None  # only None outside a request, and this is given one
    try:
        adapter.match(path, method=method)
    except RequestRedirect:
        pass  # served, with a trailing slash the view adds itself
    except HTTPException:
        return False
    return True


def link_with(address: str, **args) -> str:
    """The address with more query arguments. A table linking each of its rows to the same page filtered by the
    row builds that page's address once (url_for) and adds each row's filter here, at a fifth of the cost."""
    return f"{address}{'&' if '?' in address else '?'}{urlencode(args)}"


def field_params(field: Field) -> dict:
    """The GOV.UK macro params a field gives of itself (id, name, label, hint, first error), as
    govuk-frontend-wtf's widgets map them; templates/site/fields.html draws fields with them."""
    return {
        "id": field.id, "name": field.name, "label": {"text": field.label.text},
        "attributes": {"required": "required"} if "required" in field.flags else {},
        "hint": {"text": field.description} if field.description else None,
        "errorMessage": {"text": field.errors[0]} if field.errors else None,
    }


def form_error_list(form: Form) -> list[dict]:
    """GOV.UK error summary items for a WTForms form: each field's first error, linked to its input."""
    fields = [field for field in form if not isinstance(field.widget, HiddenInput)]
    items = [item for field in fields for item in _field_errors(field)]
    # Errors of the whole form, or of hidden fields, point at the first thing people can change.
    general = list(getattr(form, "form_errors", []))
    general += [error for field in form if isinstance(field.widget, HiddenInput) for error in field.errors]
    first_href = f"#{_input_id(fields[0])}" if fields else None
    return [{"text": str(message), "href": first_href} for message in general] + items


def _field_errors(field: Field) -> list[dict]:
    """The summary items of one field, looking inside field lists and sub-forms."""
    if isinstance(field, FieldList):
        return [item for entry in field.entries for item in _field_errors(entry)]
    if isinstance(field, FormField):
        return form_error_list(field.form)
    if not field.errors:
        return []
    return [{"text": str(field.errors[0]), "href": f"#{_input_id(field)}"}]


def _input_id(field: Field) -> str:
    """The id of the input an error link should focus, as the GOV.UK widgets render it."""
    if isinstance(field.widget, GovDateInput):
        return f"{field.name}-day"
    if isinstance(field.widget, GovIterableBase):
        return field.name  # radios and checkboxes: the first option carries the field's name
    return field.id
