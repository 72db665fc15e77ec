"""Wherever events show an objective or a key priority, the key priority reads "key priority 1", never "1. …",
which reads as a list number."""

import re
from datetime import date

import pytest
from flask import render_template_string

LIST_NUMBER = re.compile(r"(?<![\d£,.])\b1\. ")


@pytest.fixture
def crew_event(db, make_key_priority, make_objective, make_event, known_agency):
    """A held event that delivers an objective of key priority 1."""
    kp = make_key_priority(title="Reduce harm")
    crew = make_objective(kp, title="Crucial Crew")
    event = make_event(known_agency("EFRS"), title="Crew day", starts_on=date(2016, 4, 20), objectives=[crew],
                       attendance=40)
    db.session.commit()
    return event


def _text(html: str) -> str:
    """A page's words without tags or extra spaces."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _main(html: str) -> str:
    """The page's main content, without the navigation and footer."""
    return html[html.index("<main"):html.index("</main>")]


def test_the_event_page_names_the_key_priority_in_words(client_as, crew_event):
    page = _text(_main(client_as("coordinator").get(f"/events/{crew_event.id}").get_data(as_text=True)))
    assert "Crucial Crew (key priority 1, " in page
    assert not LIST_NUMBER.search(page), page


def test_the_events_list_names_the_key_priority_in_words(client_as, crew_event):
    objective_id = crew_event.objectives[0].id
    for path in ("/events", f"/events?objective={objective_id}"):
        page = _text(_main(client_as("coordinator").get(path).get_data(as_text=True)))
        assert "Crucial Crew (key priority 1)" in page, path
        assert "Key priority 1: Reduce harm" in page, path  # the filter's choices
        assert not LIST_NUMBER.search(page), (path, page)


def test_the_event_form_groups_objectives_under_key_priorities_in_words(client_as, crew_event):
    page = _text(_main(client_as("coordinator").get(f"/events/{crew_event.id}/edit").get_data(as_text=True)))
    assert "Key priority 1: Reduce harm" in page
    assert not LIST_NUMBER.search(page), page


@pytest.mark.parametrize("partial", ["events/_board_report.html", "events/_dashboard.html"])
def test_the_board_report_and_dashboard_name_key_priorities_in_words(app, crew_event, partial):
    plan = crew_event.objectives[0].key_priority.plan
    with app.test_request_context():
        html = render_template_string('{% include "' + partial + '" %}', plan=plan, since=date(2016, 4, 1),
                                      today=date(2016, 7, 15))
    text = _text(html)
    assert "key priority 1" in text.lower()
    assert not LIST_NUMBER.search(text), text
