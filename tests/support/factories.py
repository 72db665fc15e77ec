"""Factories as fixtures: each returns a callable with sensible defaults (make_agency(), make_objective(…))."""

import itertools
from datetime import date

import pytest

from scp_tracker.people.models import KEY_PRIORITY_LEAD, Agency, Contact, User, UserRole
from scp_tracker.plans.models import FundingLine, KeyPriority, Objective, ObjectiveLead, Plan

_counter = itertools.count(1)

# Cheap hashes in fixtures only: scrypt costs ~140 ms a call.
FAST_HASH = "pbkdf2:sha256:1"


@pytest.fixture
def make_agency(db):
    """make_agency(abbreviation=…, name=…)."""

    def _make(abbreviation=None, name=None, **kwargs):
        n = next(_counter)
        agency = Agency(abbreviation=abbreviation or f"AG{n}", name=name or f"Agency {n}", **kwargs)
        db.session.add(agency)
        db.session.flush()
        return agency

    return _make


@pytest.fixture
def make_contact(db, make_agency):
    """make_contact(agency=…, name=…, email=…)."""

    def _make(agency=None, name=None, email=None, **kwargs):
        n = next(_counter)
        contact = Contact(
            name=name or f"Contact {n}",
            email=email or f"contact{n}@example.org",
            agency=agency or make_agency(),
            **kwargs,
        )
        db.session.add(contact)
        db.session.flush()
        return contact

    return _make


@pytest.fixture
def make_user(db, make_contact):
    """make_user(role="coordinator", password="…", agency=…, email=…) with a cheap hash; several roles with
    roles=("lead", "viewer"), and a key priority lead's with key_priority_ids=(…)."""
    from werkzeug.security import generate_password_hash

    def _make(role="coordinator", password="correct horse battery staple", contact=None, *, roles=None,
              key_priority_ids=(), **contact_kwargs):
        contact = contact or make_contact(**contact_kwargs)
        links = [UserRole(role=name) for name in (roles or (role,)) if name != KEY_PRIORITY_LEAD]
        links += [UserRole(role=KEY_PRIORITY_LEAD, key_priority_id=kp_id) for kp_id in key_priority_ids]
        user = User(contact=contact, role_links=links,
                    password_hash=generate_password_hash(password, method=FAST_HASH))
        db.session.add(user)
        db.session.commit()
        return user

    return _make


@pytest.fixture
def make_plan(db):
    """make_plan(year="2016-17") with its financial-year dates."""

    def _make(year="2016-17", title=None, status="agreed", **kwargs):
        start = int(year[:4])
        plan = Plan(
            year=year,
            title=title or f"Annual Partnership Plan {year}",
            status=status,
            starts_on=date(start, 4, 1),
            ends_on=date(start + 1, 3, 31),
            **kwargs,
        )
        db.session.add(plan)
        db.session.flush()
        return plan

    return _make


@pytest.fixture
def make_key_priority(db, make_plan):
    """make_key_priority(plan=…, number=…, title=…)."""

    def _make(plan=None, number=None, title=None, **kwargs):
        plan = plan or make_plan()
        number = number or (len(plan.key_priorities) + 1)
        kp = KeyPriority(plan=plan, number=number, title=title or f"Key priority {number}", **kwargs)
        db.session.add(kp)
        db.session.flush()
        return kp

    return _make


@pytest.fixture
def make_objective(db, make_key_priority):
    """make_objective(key_priority=…, leads=[agency…], end_date=…, funding=[FundingLine kwargs…])."""

    def _make(key_priority=None, title=None, leads=(), end_date=None, funding=None, **kwargs):
        n = next(_counter)
        objective = Objective(
            key_priority=key_priority or make_key_priority(),
            title=title or f"Objective {n}",
            text=kwargs.pop("text", f"Deliver objective {n}"),
            position=n,
            end_date=end_date,
            end_date_status="set" if end_date else kwargs.pop("end_date_status", "missing"),
            end_date_text=end_date.strftime("%b %y") if end_date else "",
            lead_status="set" if leads else kwargs.pop("lead_status", "missing"),
            **kwargs,
        )
        objective.lead_links = [ObjectiveLead(agency=a, position=i) for i, a in enumerate(leads)]
        objective.funding_lines = [FundingLine(position=i, **f) for i, f in enumerate(funding or [])]
        db.session.add(objective)
        db.session.commit()
        return objective

    return _make
