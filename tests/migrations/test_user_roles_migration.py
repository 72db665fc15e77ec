"""The several-roles migration keeps every existing login's role, and going back keeps the role that allows most."""

from sqlalchemy import text

from scp_tracker import create_app
from scp_tracker.extensions import db

BEFORE, ROLES_REVISION = "14a8a0ee10a0", "dafc91d84e71"
PEOPLE = [("Cora", "coordinator"), ("Lee", "lead"), ("Pat", "partner"), ("Vic", "viewer"), ("Dee", "viewer")]


def _upgrade(runner, revision):
    result = runner.invoke(args=["db", "upgrade", revision])
    assert result.exit_code == 0, result.output


def test_every_login_keeps_its_role_and_a_downgrade_keeps_the_one_that_allows_most(empty_database_url):
    app = create_app({"SCP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": empty_database_url})
    runner = app.test_cli_runner()
    _upgrade(runner, BEFORE)
    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO agency (id, abbreviation, name, is_active, created_at, version) "
                              "VALUES (1, 'CBC', 'Council', true, CURRENT_TIMESTAMP, 1)"))
            for n, (name, role) in enumerate(PEOPLE, start=1):
                conn.execute(text("INSERT INTO contact (id, name, email, agency_id, receives_reminders, is_active, "
                                  "created_at, version) VALUES (:n, :name, :email, 1, true, true, "
                                  "CURRENT_TIMESTAMP, 1)"), {"n": n, "name": name, "email": f"{name}@example.org"})
                conn.execute(text("INSERT INTO user_account (id, contact_id, role, session_token, is_enabled, "
                                  "created_at, version) VALUES (:id, :n, :role, :token, true, CURRENT_TIMESTAMP, 1)"),
                             {"id": n * 10, "n": n, "role": role, "token": f"t{n}"})
        db.engine.dispose()

    _upgrade(runner, ROLES_REVISION)
    with app.app_context():
        with db.engine.begin() as conn:
            kept = conn.execute(text("SELECT user_id, role, key_priority_id FROM user_role ORDER BY user_id")).all()
            assert [tuple(row) for row in kept] == [(n * 10, role, None) for n, (_, role) in enumerate(PEOPLE, 1)]
            # Dee becomes a lead as well as a viewer: going back, the lead (who may do more) is what stays.
            conn.execute(text("INSERT INTO user_role (user_id, role) VALUES (50, 'lead')"))
        db.engine.dispose()

    result = runner.invoke(args=["db", "downgrade", BEFORE])
    assert result.exit_code == 0, result.output
    with app.app_context():
        with db.engine.connect() as conn:
            back = conn.execute(text("SELECT id, role FROM user_account ORDER BY id")).all()
        db.engine.dispose()
    assert [tuple(row) for row in back] == [(10, "coordinator"), (20, "lead"), (30, "partner"), (40, "viewer"),
                                            (50, "lead")]
