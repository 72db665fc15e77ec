"""base.html: the partnership's header, navigation by role, flashed messages, footer; the error summary macro."""

import re
from datetime import date
from html.parser import HTMLParser

import markupsafe
import pytest
from flask import Blueprint, flash, render_template_string
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovRadioInput, GovSelect, GovTextInput
from werkzeug.datastructures import MultiDict
from wtforms import DateField, FieldList, Form, RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired

from scp_tracker.core.fields import GovDateField
from scp_tracker.core.pagination import pagination_params
from scp_tracker.site.navigation import NAVIGATION, current_group
from scp_tracker.site.templating import link_with, routed_path

PAGE = '{% extends "base.html" %}{% block content %}<h1 class="govuk-heading-l">Test page</h1>{% endblock %}'

pages = Blueprint("site_test_pages", __name__)


def _stand_in(path: str, methods=("GET",)):
    """A test-only page at a navigation path, in case the area that owns it is not registered."""
    pages.add_url_rule(path, f"page{path.replace('/', '_').replace('-', '_')}",
                       lambda: render_template_string(PAGE), methods=list(methods))


for _path in {path for group in NAVIGATION for _text, path in group.pages}:
    _stand_in(_path)
_stand_in("/sign-out", methods=("POST",))
_stand_in("/sign-in")


@pages.get("/test-pages/flash/<category>")
def flashed(category):
    """Show a page with a flashed message of that category."""
    flash("Objective saved", category)
    return render_template_string(PAGE)


@pytest.fixture
def client(app):
    """A client on the test's app with every navigation path served (test-only routes)."""
    app.register_blueprint(pages)
    return app.test_client()


def navigation_texts(html: str) -> list[str]:
    """The texts of the service navigation links, in order."""
    items = re.findall(r'<li class="govuk-service-navigation__item[^"]*">\s*<a[^>]*>\s*(?:<strong[^>]*>)?([^<]+)', html)
    return [item.strip() for item in items]


def test_header_is_the_partnerships_not_govuk(client):
    html = client.get("/cookies").get_data(as_text=True)
    assert '<a href="/" class="govuk-generic-header__homepage-link">\n        Safer Colchester Partnership' in html
    assert re.search(r'<a href="/" class="govuk-service-navigation__link">\s*SCP Tracker\s*</a>', html)
    for govuk_only in ("govuk-header", "govuk-logo", "Crown copyright", "govuk-footer__crown",
                       "Open Government Licence", "images/favicon.ico", "govuk-crest"):
        assert govuk_only not in html


def test_layout_has_skip_link_phase_banner_and_footer_links(client):
    html = client.get("/cookies").get_data(as_text=True)
    assert '<a href="#main-content" class="govuk-skip-link"' in html
    assert 'id="main-content"' in html
    assert "govuk-phase-banner" in html and ">\n      Draft\n" in html
    assert "mailto:community.safety@example.org?subject=SCP%20Tracker%20feedback" in html
    for href, text in (("/accessibility", "Accessibility statement"), ("/privacy", "Privacy notice"),
                       ("/cookies", "Cookies")):
        assert f'<a class="govuk-footer__link" href="{href}">{text}</a>' in html


def test_assets_come_from_the_app_only(client):
    html = client.get("/cookies").get_data(as_text=True)
    assert '<link rel="stylesheet" href="/static/css/main.css">' in html
    assert '<script type="module" src="/static/js/init.js"></script>' in html
    assert not re.search(r'(src|href)="(https?:)?//[^"]*\.(css|js)"', html)


def test_anonymous_people_see_no_navigation_but_sign_in(client):
    html = client.get("/cookies").get_data(as_text=True)
    assert navigation_texts(html) == ["Sign in"]
    assert "Sign out" not in html and account_texts(html) == []


ACCOUNT_ITEMS = ["Notifications", "Your account", "Sign out"]


def account_texts(html: str) -> list[str]:
    """The texts of the account links in the header's dark bar, in order."""
    nav = re.search(r'<nav class="app-account-navigation" aria-label="Your account">(.*?)</nav>', html, re.S)
    return [text.strip() for text in re.findall(r"<(?:a|button)[^>]*>([^<]+)", nav.group(1))] if nav else []


def sub_navigation_links(html: str) -> list[tuple[str, str, bool]]:
    """(text, href, is current) of the sub-navigation's links, in order."""
    nav = re.search(r'<nav class="app-sub-navigation"[^>]*>(.*?)</nav>', html, re.S)
    if not nav:
        return []
    return [(text.strip(), href, bool(current)) for href, current, text in
            re.findall(r'<a class="app-sub-navigation__link[^"]*" href="([^"]+)"( aria-current="page")?>([^<]+)</a>',
                       nav.group(1))]


def test_coordinator_sees_seven_groups_with_the_board_report_one_click_away(client, login, make_user):
    login(make_user(role="coordinator"), on_client=client)
    html = client.get("/cookies").get_data(as_text=True)
    assert navigation_texts(html) == ["Dashboard", "Plan", "Rounds", "Events", "Board report", "People", "Settings"]
    # The person's own links sit in the header, so the groups fit on one line at 1280 pixels.
    assert account_texts(html) == ACCOUNT_ITEMS
    assert re.search(r'<a class="govuk-service-navigation__link" href="/report"', html)


def test_there_are_at_most_seven_groups():
    assert len(NAVIGATION) <= 7


@pytest.mark.parametrize(("role", "groups"), [
    ("lead", ["Dashboard", "Plan", "Rounds", "Events", "Board report", "People", "Settings"]),
    ("partner", ["Dashboard", "Plan", "Rounds", "Events", "People", "Settings"]),
    ("viewer", ["Dashboard", "Plan", "Rounds", "Events", "Board report", "People", "Settings"]),
])
def test_others_see_the_groups_they_may_open(client, login, make_user, role, groups):
    login(make_user(role=role), on_client=client)
    html = client.get("/cookies").get_data(as_text=True)
    assert navigation_texts(html) == groups
    assert account_texts(html) == ACCOUNT_ITEMS


@pytest.mark.parametrize("role", ["coordinator", "lead", "partner", "viewer"])
def test_every_navigation_link_opens_for_the_role_that_sees_it(client, login, make_user, role):
    """Each group's first page and each sub-navigation page, as each role, is never refused: the navigation
    asks the page's own view who may open it, so a page whose roles change leaves the menu with them."""
    login(make_user(role=role), on_client=client)
    html = client.get("/cookies").get_data(as_text=True)
    tops = re.findall(r'<li class="govuk-service-navigation__item[^"]*">\s*<a class="govuk-service-navigation__link" '
                      r'href="([^"]+)"', html)
    assert tops
    seen = set()
    for href in tops:
        page = client.get(href)
        assert page.status_code != 403, f"{role} is shown {href} but refused it"
        for _text, sub_href, _current in sub_navigation_links(page.get_data(as_text=True)):
            if sub_href not in seen:
                seen.add(sub_href)
                assert client.get(sub_href).status_code != 403, f"{role} is shown {sub_href} but refused it"
    if role == "coordinator":  # every page of every group, for the one who may open them all
        assert seen | set(tops) >= {path for group in NAVIGATION for _text, path in group.pages}


def test_a_groups_pages_are_listed_on_each_with_the_one_you_are_on_marked(client, login, make_user):
    login(make_user(role="coordinator"), on_client=client)
    html = client.get("/priorities").get_data(as_text=True)
    assert sub_navigation_links(html) == [
        ("Objectives", "/plan", False), ("Indicators", "/indicators", False),
        ("Police and PCC priorities", "/priorities", True), ("Plan years", "/plans", False),
        ("End date requests", "/end-date-requests", False),
        ("Import a plan", "/import", False),
    ]
    assert '<nav class="app-sub-navigation" aria-label="Plan pages">' in html
    # The group is marked as the section you are in; the page itself is the sub-navigation's current item.
    assert re.search(r'govuk-service-navigation__item--active">\s*<a class="govuk-service-navigation__link" '
                     r'href="/plan" aria-current="true">\s*'
                     r'<strong class="govuk-service-navigation__active-fallback">Plan', html)
    assert 'href="/plan" aria-current="page"' not in html


def test_a_role_sees_only_the_pages_of_a_group_it_may_open(client, login, make_user):
    login(make_user(role="lead"), on_client=client)
    html = client.get("/priorities").get_data(as_text=True)
    assert [text for text, _href, _current in sub_navigation_links(html)] == [
        "Objectives", "Indicators", "Police and PCC priorities", "Plan years"]


def test_a_group_of_one_page_has_no_sub_navigation(client, login, make_user):
    login(make_user(role="coordinator"), on_client=client)
    assert sub_navigation_links(client.get("/events").get_data(as_text=True)) == []


def test_pages_inside_a_group_mark_it(app):
    for path, group in (("/objectives/7", "Plan"), ("/plans/2016-17/agree", "Plan"), ("/rounds/3", "Rounds"),
                        ("/reminders/settings", "Settings"), ("/reminders/preview", "Rounds"),
                        ("/agencies/2", "People"), ("/", "Dashboard"), ("/cookies", None)):
        with app.test_request_context(path):
            found = current_group()
            assert (found.text if found else None) == group, path


def test_the_page_you_are_on_is_marked_current(client, login, make_user):
    login(make_user(role="lead"), on_client=client)
    html = client.get("/plan").get_data(as_text=True)
    assert re.search(r'<a class="govuk-service-navigation__link" href="/plan" aria-current="page">', html)
    assert 'href="/" aria-current' not in html


def test_sign_out_is_a_post_form_with_a_csrf_token(client, login, make_user):
    login(make_user(role="viewer"), on_client=client)
    html = client.get("/cookies").get_data(as_text=True)
    form = re.search(r'<form method="post" action="/sign-out"[^>]*>(.*?)</form>', html, re.S)
    assert form, "no sign-out form"
    assert re.search(r'<input type="hidden" name="csrf_token" value="[^"]+">', form.group(1))
    assert ">Sign out</button>" in form.group(1)
    assert "Sign in" not in navigation_texts(html)


def test_navigation_hides_paths_no_area_serves(app):
    with app.test_request_context("/"):
        assert routed_path("/no-area-serves-this") is None
        assert routed_path("/cookies") == "/cookies"
        assert routed_path("/cookies", "POST") is None


def test_success_message_is_a_success_notification_banner(client):
    html = client.get("/test-pages/flash/success").get_data(as_text=True)
    assert "govuk-notification-banner--success" in html
    assert 'role="alert"' in html
    assert "Objective saved" in html


def test_error_messages_are_error_summaries(client):
    html = client.get("/test-pages/flash/error").get_data(as_text=True)
    assert 'data-module="govuk-error-summary"' in html
    assert "There is a problem" in html
    assert "Objective saved" in html
    assert "govuk-notification-banner" not in html


def test_other_messages_are_plain_notification_banners(client):
    html = client.get("/test-pages/flash/message").get_data(as_text=True)
    assert "govuk-notification-banner" in html
    assert "govuk-notification-banner--success" not in html
    assert "Objective saved" in html


class ObjectiveForm(Form):
    """A form with each kind of GOV.UK widget whose error link differs."""

    title = StringField("Title", widget=GovTextInput(), validators=[DataRequired("Enter a title")])
    end_on = DateField("End date", widget=GovDateInput(), validators=[DataRequired("Enter an end date")])
    rag = RadioField("RAG status", choices=[SelectChoice("red", "Red"), SelectChoice("green", "Green")],
                     widget=GovRadioInput(), validators=[DataRequired("Select a RAG status")])
    agencies = FieldList(StringField("Agency", widget=GovTextInput(), validators=[DataRequired("Enter an agency")]),
                         min_entries=2)


SUMMARY = '{% from "site/macros.html" import error_summary %}{{ error_summary(form) }}'


def test_error_summary_links_each_error_to_its_input(app):
    with app.test_request_context("/"):
        form = ObjectiveForm(MultiDict({"agencies-0": "CBC", "agencies-1": ""}))
        assert not form.validate()
        html = render_template_string(SUMMARY, form=form)
    assert 'data-module="govuk-error-summary"' in html
    assert "There is a problem" in html
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', html)
    assert links == [
        ("#title", "Enter a title"),
        ("#end_on-day", "Enter an end date"),  # a date's error focuses its day box
        ("#rag", "Select a RAG status"),  # radios: the first option carries the field's name
        ("#agencies-1", "Enter an agency"),
    ]


def test_error_summary_points_form_errors_at_the_first_input(app):
    with app.test_request_context("/"):
        form = ObjectiveForm(MultiDict({"title": "x", "end_on": "2017-04-30", "rag": "red",
                                        "agencies-0": "a", "agencies-1": "b"}))
        assert form.validate()
        form.form_errors.append("Someone else changed this objective")
        html = render_template_string(SUMMARY, form=form)
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', html) == [("#title", "Someone else changed this objective")]


def test_error_summary_is_empty_without_errors(app):
    with app.test_request_context("/"):
        form = ObjectiveForm()
        assert render_template_string(SUMMARY, form=form).strip() == ""


def test_rag_tag_colours(app):
    with app.test_request_context("/"):
        html = render_template_string(
            '{% from "site/macros.html" import rag_tag %}'
            '{{ rag_tag("red") }}|{{ rag_tag("amber") }}|{{ rag_tag(none) }}'
        )
    assert '<strong class="govuk-tag govuk-tag--red">Red</strong>' in html
    assert '<strong class="govuk-tag govuk-tag--yellow">Amber</strong>' in html
    assert '<strong class="govuk-tag govuk-tag--grey">Not set</strong>' in html


def test_the_header_and_navigation_are_drawn_once_per_page(client, login, make_user):
    login(make_user(role="coordinator"), on_client=client)
    html = client.get("/plan").get_data(as_text=True)
    assert html.count('<header class="govuk-template__header">') == 1
    assert html.count('class="govuk-service-navigation"') == 1
    assert html.count('<footer class="govuk-template__footer">') == 1


def test_the_navigation_carries_each_session_s_own_sign_out_token(app, client, login, make_user):
    # `client` serves every navigation path, sign-out included (see the fixture).
    tokens = []
    for n in range(2):
        own_client = login(make_user(role="viewer", email=f"viewer{n}@example.org"), on_client=app.test_client())
        html = own_client.get("/cookies").get_data(as_text=True)
        with own_client.session_transaction() as session:
            assert session["csrf_token"]  # the token shown is this session's
        tokens += re.findall(r'name="csrf_token" value="([^"]+)"', html)
    assert len(tokens) == 2 and tokens[0] != tokens[1]
    assert "stand-in" not in "".join(tokens)


# The plan list's filters are drawn by macros of our own (site/fields.html): the same markup as the widgets'.

class FilterForm(Form):
    """Select boxes and a text input, as the plan list's filters use them."""

    rag = SelectField("RAG", widget=GovSelect(), choices=[
        SelectChoice("", "Any RAG"), SelectChoice("red", "Red"), SelectChoice("amber", "Amber & <b>")])
    key_priority = SelectField("Key priority", widget=GovSelect(), description="Which one", choices=[
        SelectChoice("", "Any"), SelectChoice("1", "1. Reduce harm")], validate_choice=True)
    due_within = StringField("Due within (days)", widget=GovTextInput(), validators=[DataRequired("Enter a number")])
    since = GovDateField("Since", description="For example, 1 4 2016")
    until = GovDateField("Until", default=date(2017, 3, 9))


class Markup(HTMLParser):
    """An HTML fragment as what a browser reads of it: each tag with its attributes in order, and each text with its
    spaces collapsed. Whitespace between tags, which GOV.UK's macros leave plenty of, is not part of it."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=False)
        self.items: list[tuple] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.items.append(("start", tag, attrs))

    def handle_endtag(self, tag):
        self.items.append(("end", tag))

    def handle_data(self, data):
        if data.split():
            self.items.append(("text", " ".join(data.split())))

    def handle_entityref(self, name):
        self.items.append(("entity", name))

    def handle_charref(self, name):
        self.items.append(("entity", name))


def test_markup_tells_tags_attributes_and_text_apart_but_not_spaces_between_tags():
    assert Markup('<div class="a">\n  <b>x  y</b>\n</div>').items == Markup('<div class="a"><b>x y</b></div>').items
    assert Markup('<div class="a">x</div>').items != Markup('<div class="b">x</div>').items
    assert Markup('<option value="1" selected>x</option>').items != Markup('<option value="1">x</option>').items
    assert Markup("<p>a &amp; b</p>").items != Markup("<p>a & b</p>").items
    assert Markup("<p>ab</p>").items != Markup("<p>a b</p>").items


@pytest.mark.parametrize("data", [
    {"rag": "amber", "due_within": "28", "key_priority": "1", "since": ["1", "4", "2016"]},
    {"rag": "red", "due_within": "", "key_priority": "9", "since": ["1", "", "x"], "until": ["31", "2", "2017"]},
    {}, None])
def test_our_field_macros_draw_what_the_widgets_draw(app, data):
    given_params = ({"classes": "govuk-!-width-full", "hint": {"text": "Days"}}, {},
                    {"classes": "govuk-input--width-4", "inputmode": "numeric", "hint": {"text": "Open & <due>"}})
    with app.test_request_context("/"):
        form = FilterForm(MultiDict([(name, value) for name, values in data.items()
                                     for value in (values if isinstance(values, list) else [values])])
                          if data is not None else None)
        form.validate()
        for field, macro in ((form.rag, "select_field"), (form.key_priority, "select_field"),
                             (form.due_within, "text_field"), (form.since, "date_field"), (form.until, "date_field")):
            for given in (*given_params, {"fieldset": {"legend": {"text": "From", "classes": "small"}}}):
                ours = render_template_string(
                    '{% from "site/fields.html" import date_field, select_field, text_field %}'
                    f"{{{{ {macro}(field, params) }}}}", field=field, params=given)
                assert Markup(ours).items == Markup(str(field(params=given))).items, (field.name, given)


@pytest.mark.parametrize(("page", "pages"), [(1, 2), (2, 2), (1, 9), (5, 9), (9, 9), (3, 10)])
def test_our_pagination_draws_what_govuk_pagination_draws(app, page, pages):
    params = pagination_params(page, pages, lambda number: f"/plan?rag=amber&page={number}")
    with app.test_request_context("/"):
        ours = render_template_string(
            '{% from "site/pagination.html" import pagination_links %}{{ pagination_links(params) }}', params=params)
        theirs = render_template_string(
            '{% from "govuk_frontend_jinja/components/pagination/macro.html" import govukPagination %}'
            "{{ govukPagination(params) }}", params=params)
    assert Markup(ours).items == Markup(theirs).items


@pytest.mark.parametrize(("component", "params"), [
    ("button", {"text": "Add & progress", "href": "/x?a=1&b=2"}),
    ("button", {"text": "Edit objective", "href": "/objectives/1/edit", "classes": "govuk-button--secondary"}),
    ("button", {"text": "Apply filters", "classes": "govuk-!-margin-bottom-2"}),
    ("button", {"text": "Save"}),
    ("breadcrumbs", {"items": [{"text": "Plan 2016-17", "href": "/plan?year=2016-17"},
                               {"text": "Key <1>", "href": "/plan?a=1&b=2"}]}),
    ("details", {"summaryText": "Filter (2)", "html": markupsafe.Markup("<p>x &amp; y</p>"), "open": True}),
    ("details", {"summaryText": "Filter & find", "html": "", "open": {}}),
    ("notification_banner", {"type": "success", "text": "Saved & done"}),
    ("notification_banner", {"type": None, "text": "Note <b>"}),
    ("notification_banner", {"titleText": "Important", "titleId": "scheduler-warning-title", "content": "<p>x</p>"}),
])
def test_our_component_macros_draw_what_govuk_macros_draw(app, component, params):
    govuk_name = "govuk" + component.title().replace("_", "")
    govuk_file = f"govuk_frontend_jinja/components/{component.replace('_', '-')}/macro.html"

    def use(name):  # with a call block's content when the params have some
        if "content" in params:
            return "{% call " + name + "(params) %}{{ params.content | safe }}{% endcall %}"
        return "{{ " + name + "(params) }}"

    with app.test_request_context("/"):
        ours = render_template_string(
            '{% from "site/components.html" import ' + component + " %}" + use(component), params=params)
        theirs = render_template_string(
            '{% from "' + govuk_file + '" import ' + govuk_name + " %}" + use(govuk_name), params=params)
    assert Markup(ours).items == Markup(theirs).items


def test_link_with_adds_query_arguments_to_an_address():
    assert link_with("/events", key_priority=3) == "/events?key_priority=3"
    assert link_with("/events?status=held", key_priority=3) == "/events?status=held&key_priority=3"
    assert link_with("/plan?year=2016-17", owner="A&B C") == "/plan?year=2016-17&owner=A%26B+C"
