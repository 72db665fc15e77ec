"""Importing a plan from the web: upload, preview (nothing saved), confirm, and the checks on what is uploaded."""

import io
import json
import os
import re
import time
from pathlib import Path

import pytest

from scp_tracker.documents import uploads
from scp_tracker.plans.models import Objective, Plan


def upload(client, content: bytes, filename: str):
    """POST a file to the import page."""
    return client.post("/import", data={"plan_file": (io.BytesIO(content), filename)},
                       content_type="multipart/form-data")


def kept_uploads(app) -> list[str]:
    """Names of uploads waiting in the instance folder."""
    folder = Path(app.instance_path) / "uploads"
    return sorted(os.listdir(folder)) if folder.exists() else []


def count(db, model) -> int:
    """Rows of a model."""
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_preview_then_confirm_imports_the_real_plan(real_plan_path, plans_client, app, db):
    client = plans_client("coordinator")
    response = upload(client, real_plan_path.read_bytes(), "scp-annual-plan-2016-17-draft.txt")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Check the import of plan 2016-17" in body
    assert "Objectives to add" in body and "social media campaign" in body.lower()
    assert "Nothing has been saved yet" in body
    assert count(db, Objective) == 0 and count(db, Plan) == 0  # a dry run
    stored = kept_uploads(app)
    assert len(stored) == 1 and stored[0].endswith(".txt")
    token = re.search(r'name="upload" type="hidden" value="([^"]+)"', body).group(1)
    assert token == stored[0]

    response = client.post("/import/confirm", data={"upload": token, "filename": "scp-annual-plan-2016-17-draft.txt"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/plan?year=2016-17")
    assert count(db, Plan) == 1 and count(db, Objective) > 20
    assert kept_uploads(app) == []  # deleted once imported
    assert "plan 2016-17" in client.get("/plan").get_data(as_text=True)


def test_preview_lists_warnings(plans_client):
    text = ("### KEY PRIORITY 1: TO PROTECT VULNERABLE PEOPLE (KP LEAD: CBC)\n\n"
            "OBJECTIVE\tPROGRESS / OUTPUT\tFUNDING\tPROJECT LEAD / AGENCY\tEND DATE\tPOLICE PRIORITY\tPCC PRIORITY\n"
            "<b>Thing</b> to do\t\tabout five grand\tCBC\tsoonish\t3\t2\n")
    # The file's name says its year: a plan whose year is nowhere is asked for it first (test_import_columns).
    response = upload(plans_client("coordinator"), text.encode(), "plan-2016-17.txt")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "could not be interpreted" in body
    assert "soonish" in body


@pytest.mark.parametrize("content, filename, message", [
    (b"OBJECTIVE\tFUNDING\n", "plan.doc", "The plan file must be a .txt, .csv, .xlsx, .docx or .json file"),
    (b"OBJECTIVE\tFUNDING\n", "plan.docx", "not a Word document (.docx)"),
    (b"just text, not a spreadsheet", "plan.xlsx", "not an Excel spreadsheet"),
    (b"PK\x03\x04 zipped", "plan.txt", "not a text file"),
    (b"%PDF-1.4 ...", "plan.csv", "not a text file"),
    (b"{not json", "plan.json", "not valid JSON"),
    (b"[1, 2]", "plan.json", "not a plan export"),
    (b"   ", "plan.txt", "The selected file is empty"),
])
def test_uploads_are_checked_by_extension_and_content(content, filename, message, plans_client, app, db):
    response = upload(plans_client("coordinator"), content, filename)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "There is a problem" in body and message in body
    assert kept_uploads(app) == []
    assert count(db, Plan) == 0


def test_unreadable_plan_is_a_form_error(plans_client, app):
    response = upload(plans_client("coordinator"), b"nothing like a plan at all", "plan.txt")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "There is a problem" in body and "no key priorities or objectives could be read" in body
    assert kept_uploads(app) == []


def test_json_export_imports_back(sample_plan, plans_client, app, db):
    sample_plan(3)
    client = plans_client("coordinator")
    exported = client.get("/export/json").data
    assert json.loads(exported)["format"] == "scp-tracker/plan@1"
    body = upload(client, exported, "scp-plan-2016-17.json").get_data(as_text=True)
    assert "Check the import of plan 2016-17" in body


def test_too_large_upload_is_refused(plans_client, app):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = upload(plans_client("coordinator"), b"x" * 4096, "plan.txt")
    assert response.status_code == 413


def test_confirm_refuses_paths_and_missing_uploads(plans_client, app, db):
    client = plans_client("coordinator")
    for name in ("../../etc/passwd", "x.txt", "A" * 32 + ".txt"):
        response = client.post("/import/confirm", data={"upload": name, "filename": "plan.txt"})
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/import")
    assert count(db, Plan) == 0


def test_old_uploads_are_removed(tmp_path):
    old = uploads.save(tmp_path, "a.txt", b"old")
    os.utime(tmp_path / old, (time.time() - uploads.KEEP_SECONDS - 60,) * 2)
    new = uploads.save(tmp_path, "b.csv", b"new")
    assert sorted(os.listdir(tmp_path)) == [new]
    assert uploads.read(tmp_path, new, "b.csv") == b"new"
    with pytest.raises(uploads.UploadError):
        uploads.read(tmp_path, new, "b.xlsx")  # checked as CSV, so never parsed as a spreadsheet


def test_only_the_coordinator_imports(plans_client, real_plan_path, app, db):
    content = real_plan_path.read_bytes()
    stored = uploads.save(Path(app.instance_path) / "uploads", "plan.txt", content)
    for role, status in (("lead", 403), ("other_lead", 403), ("partner", 403), ("viewer", 403), ("anonymous", 302)):
        client = plans_client(role)
        assert upload(client, content, "plan.txt").status_code == status, role
        response = client.post("/import/confirm", data={"upload": stored, "filename": "plan.txt"})
        assert response.status_code == status, role
    assert count(db, Plan) == 0
    assert kept_uploads(app) == [stored]
