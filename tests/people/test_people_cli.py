"""scp-tracker people add | import | add-agency, through the CLI runner."""

import pytest
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from scp_tracker.core.models import ChangeRecord
from scp_tracker.people.models import Agency, Contact, User


@pytest.fixture
def agencies(db, known_agency):
    """The agencies these commands refer to, committed (a failed command rolls back)."""
    made = {abbreviation: known_agency(abbreviation) for abbreviation in ("CBC", "EP", "EFRS")}
    db.session.commit()
    return made


def _contact(db, email):
    return db.session.execute(select(Contact).where(func.lower(Contact.email) == email.lower())).scalar_one_or_none()


def _count(db, model):
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def test_add_a_contact(runner, db, agencies):
    result = runner.invoke(args=["people", "add", "--name", "Jane Smith", "--email", "Jane.Smith@EXAMPLE.org",
                                 "--agency", "ep", "--phone", "01206 000000"])
    assert result.exit_code == 0, result.output
    assert "Added: Jane Smith <Jane.Smith@example.org> at EP." in result.output
    contact = _contact(db, "jane.smith@example.org")
    assert contact.agency.abbreviation == "EP"
    assert contact.phone == "01206 000000"
    assert contact.receives_reminders is True
    assert contact.user is None
    history = db.session.execute(select(ChangeRecord).filter_by(entity="contact", entity_id=contact.id)).scalars()
    assert {(r.field, r.after, r.source) for r in history} >= {("name", "Jane Smith", "cli"), ("agency", "EP", "cli")}


def test_add_by_full_agency_name_with_a_login(runner, db, agencies):
    result = runner.invoke(args=["people", "add", "--name", "Sam Lead", "--email", "sam@example.org",
                                 "--agency", "Essex Fire and Rescue Service", "--role", "lead"])
    assert result.exit_code == 0, result.output
    user = _contact(db, "sam@example.org").user
    assert user.roles == {"lead"}
    assert user.password_hash is None
    assert "no password yet" in result.output


def test_add_with_a_password_from_stdin(runner, db, agencies):
    result = runner.invoke(
        args=["people", "add", "--name", "Chris Coordinator", "--email", "chris@example.org", "--agency", "CBC",
              "--role", "coordinator", "--password-stdin"],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    user = _contact(db, "chris@example.org").user
    assert user.roles == {"coordinator"}
    assert user.password_hash.startswith("scrypt:")
    assert check_password_hash(user.password_hash, "a long enough password")
    assert "a long enough password" not in result.output


def test_a_short_password_is_refused_and_nothing_saved(runner, db, agencies):
    result = runner.invoke(
        args=["people", "add", "--name", "Chris", "--email", "chris@example.org", "--agency", "CBC",
              "--role", "coordinator", "--password-stdin"],
        input="short\n",
    )
    assert result.exit_code != 0
    assert "12 characters or more" in result.output
    db.session.rollback()
    assert _contact(db, "chris@example.org") is None


def test_a_password_needs_a_login(runner, db, agencies):
    result = runner.invoke(args=["people", "add", "--name", "Pat", "--email", "pat@example.org", "--agency", "CBC",
                                 "--password-stdin"], input="a long enough password\n")
    assert result.exit_code == 2
    assert "--password-stdin needs --role" in result.output


def test_add_again_updates_by_email_ignoring_case(runner, db, agencies):
    runner.invoke(args=["people", "add", "--name", "Jane Smith", "--email", "jane@example.org", "--agency", "EP"])
    result = runner.invoke(args=["people", "add", "--name", "Jane Jones", "--email", "JANE@example.org",
                                 "--agency", "CBC", "--role", "viewer"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Updated: Jane Jones <jane@example.org> at CBC, login: viewer.")
    assert _count(db, Contact) == 1


def test_add_with_an_unknown_agency_says_what_is_known(runner, db, agencies):
    result = runner.invoke(args=["people", "add", "--name", "Jane", "--email", "jane@example.org",
                                 "--agency", "XYZ"])
    assert result.exit_code == 1
    assert "'XYZ' is not a known agency (known: CBC, EFRS, EP)" in result.output
    assert "scp-tracker people add-agency" in result.output
    assert _count(db, Contact) == 0


def test_add_with_an_invalid_email(runner, db, agencies):
    result = runner.invoke(args=["people", "add", "--name", "Bob", "--email", "bob@", "--agency", "CBC"])
    assert result.exit_code == 1
    assert "'bob@' is not a valid email address" in result.output


def test_add_agency(runner, db):
    result = runner.invoke(args=["people", "add-agency", "--abbreviation", "Catch 22", "--name", "Catch22"])
    assert result.exit_code == 0, result.output
    assert db.session.execute(select(Agency).filter_by(abbreviation="Catch 22")).scalar_one().name == "Catch22"
    again = runner.invoke(args=["people", "add-agency", "--abbreviation", "catch 22", "--name", "Other"])
    assert again.exit_code == 1
    assert "already an agency with the abbreviation catch 22" in again.output


CSV_GOOD = """\
Name,EMAIL,Agency,Role,Phone,Receives reminders
Ann Able,ann@example.org,CBC,coordinator,01206 111111,yes
Ben Baker,ben@example.org,Essex Police,,,no
Cat Cole,cat@example.org,efrs,partner,,
Dan Dale,DAN@example.org,EP,lead,01206 222222,Y
"""


def _write(tmp_path, text, name="contacts.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_import_adds_then_updates(runner, db, agencies, make_contact, tmp_path):
    make_contact(agency=agencies["EP"], name="Dan Dale", email="dan@example.org", receives_reminders=True)
    db.session.commit()
    result = runner.invoke(args=["people", "import", str(_write(tmp_path, CSV_GOOD))])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("3 added, 1 updated, 0 unchanged")
    ann = _contact(db, "ann@example.org")
    assert (ann.agency.abbreviation, ann.user.roles, ann.phone, ann.receives_reminders) == (
        "CBC", {"coordinator"}, "01206 111111", True)
    ben = _contact(db, "ben@example.org")
    assert (ben.agency.abbreviation, ben.user, ben.receives_reminders) == ("EP", None, False)
    assert _contact(db, "dan@example.org").user.roles == {"lead"}

    again = runner.invoke(args=["people", "import", str(_write(tmp_path, CSV_GOOD))])
    assert again.exit_code == 0, again.output
    assert again.output.strip().endswith("0 added, 0 updated, 4 unchanged")


def test_import_with_errors_writes_nothing(runner, db, agencies, tmp_path):
    text = (
        "name,email,agency\n"
        "Ann Able,ann@example.org,CBC\n"
        "Ben Baker,ben@example.org,XYZ\n"
        "Cat Cole,cat@example.org,EP\n"
        "Bob,bob@,CBC\n"
    )
    before = (_count(db, Contact), _count(db, ChangeRecord))
    result = runner.invoke(args=["people", "import", str(_write(tmp_path, text))])
    assert result.exit_code != 0
    assert "contacts.csv row 5, email: 'bob@' is not a valid email address" in result.output
    assert "contacts.csv row 3, agency: 'XYZ' is not a known agency" in result.output
    assert "Nothing was imported" in result.output
    db.session.rollback()
    assert (_count(db, Contact), _count(db, ChangeRecord)) == before


def test_import_reports_every_kind_of_row_error(runner, db, agencies, tmp_path):
    text = (
        "Name,E-mail,Agency,Role,Receives_Reminders?\n"
        ",nobody@example.org,CBC,,\n"
        "Ann,ann@example.org,,,\n"
        "Ben,ben@example.org,CBC,boss,\n"
        "Cat,cat@example.org,CBC,,maybe\n"
        "Dan,dan@example.org,CBC,,\n"
        "Dan again,DAN@example.org,CBC,,\n"
    )
    result = runner.invoke(args=["people", "import", str(_write(tmp_path, text))])
    assert result.exit_code != 0
    for expected in (
        "contacts.csv row 2, name: the name is missing",
        "contacts.csv row 3, agency: the agency is missing",
        "contacts.csv row 4, role: 'boss' is not a role",
        "contacts.csv row 5, receives reminders: 'maybe' is not yes or no",
        "contacts.csv row 7, email: DAN@example.org is also on row 6",
    ):
        assert expected in result.output
    db.session.rollback()
    assert _count(db, Contact) == 0


def test_import_without_a_needed_column(runner, db, agencies, tmp_path):
    result = runner.invoke(args=["people", "import", str(_write(tmp_path, "Name,Agency\nAnn,CBC\n"))])
    assert result.exit_code != 0
    assert "contacts.csv: no email column (columns found: Name, Agency)" in result.output


def test_import_reads_excel_csv(runner, db, agencies, tmp_path):
    """Excel saves UTF-8 with a byte-order mark, or Windows-1252; blank lines and unknown columns are fine."""
    bom = _write(tmp_path, "\ufeffname,email,agency,Notes\nZoë Young,zoe@example.org,CBC,met in June\n\n",
                 name="bom.csv")
    result = runner.invoke(args=["people", "import", str(bom)])
    assert result.exit_code == 0, result.output
    assert "bom.csv: column 'Notes' is not used" in result.output
    assert _contact(db, "zoe@example.org").name == "Zoë Young"

    windows = _write(tmp_path, "name,email,agency\nRenée Roe,renee@example.org,CBC\n", name="win.csv",
                     encoding="cp1252")
    result = runner.invoke(args=["people", "import", str(windows)])
    assert result.exit_code == 0, result.output
    assert _contact(db, "renee@example.org").name == "Renée Roe"


def test_import_changes_are_in_the_history(runner, db, agencies, make_contact, tmp_path):
    contact = make_contact(agency=agencies["EP"], name="Old Name", email="ann@example.org")
    db.session.commit()
    runner.invoke(args=["people", "import", str(_write(tmp_path, "name,email,agency\nNew Name,ann@example.org,CBC\n"))])
    records = db.session.execute(select(ChangeRecord).filter_by(entity="contact", entity_id=contact.id)).scalars()
    assert {(r.field, r.before, r.after, r.source) for r in records} == {
        ("name", "Old Name", "New Name", "import"), ("agency", "EP", "CBC", "import"),
    }


def test_import_can_give_logins_but_never_takes_them(runner, db, agencies, make_user, tmp_path):
    make_user(role="lead", agency=agencies["EP"], name="Lee", email="lee@example.org")
    path = _write(tmp_path, "name,email,agency,role\nLee,lee@example.org,EP,\n")
    result = runner.invoke(args=["people", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "0 added, 0 updated, 1 unchanged" in result.output
    assert db.session.execute(select(User)).scalar_one().roles == {"lead"}
