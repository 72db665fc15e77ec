"""Emailed links under a race: tests/reminders covers tampered, expired, used, revoked, another objective's and a
leaver's links one request at a time; here the same update link and the same password link are submitted twice
at the same moment (a double click, two tabs, a scanner and a person), from two threads with their own
connections. Exactly one submission counts."""

import threading

from sqlalchemy import func, select
from support.edits import opened

from scp_tracker.core.clock import utcnow
from scp_tracker.people.models import PasswordToken
from scp_tracker.people.passwords import issue_token
from scp_tracker.plans.models import ProgressUpdate


def _at_once(app, path: str, forms: list[dict]) -> list[int]:
    """POST each form to the path from its own thread, all released together."""
    barrier = threading.Barrier(len(forms))
    statuses: list[int] = []

    def submit(form):
        client = app.test_client()
        barrier.wait()
        statuses.append(client.post(path, data=form).status_code)

    threads = [threading.Thread(target=submit, args=(form,)) for form in forms]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(statuses)


def test_one_update_link_submitted_twice_at_once_records_one_update(app, world, db):
    objective_id = world.params["lead_objective"]
    path = f"/update/{world.params['update_token']}"
    stamp = opened(app.test_client(), path)  # both tabs opened the form at the same moment
    forms = [{"text": f"Update from tab {n}", "rag": "green", **stamp} for n in (1, 2)]
    statuses = _at_once(app, path, forms)
    assert statuses == [302, 410]
    db.session.rollback()
    texts = db.session.scalars(select(ProgressUpdate.text).where(ProgressUpdate.objective_id == objective_id,
                                                                 ProgressUpdate.text.like("Update from tab%")))
    assert len(list(texts)) == 1


def test_one_password_link_submitted_twice_at_once_sets_one_password(app, users_by_role, db):
    _, raw = issue_token(users_by_role["partner"], "reset", now=utcnow())
    db.session.commit()
    forms = [{"password": f"first long passphrase {n}", "confirm": f"first long passphrase {n}"} for n in (1, 2)]
    statuses = _at_once(app, f"/reset-password/{raw}", forms)
    assert statuses == [302, 410]
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(PasswordToken)
                             .where(PasswordToken.used_at.is_not(None))) == 1
