"""Every plans page for every role: who may see it, and what it shows."""

import pytest
from support.plans import PAGE_ROLES

SIGNED_IN = {"coordinator", "lead", "other_lead", "partner", "viewer"}
EDITORS = {"coordinator", "lead"}

# page: (path, roles that get 200, text every allowed page shows)
PAGES = {
    "dashboard": ("/", SIGNED_IN, ["RAG by key priority", "Needs attention", "Funding allocated by pot",
                                   "End dates by month"]),
    "plan": ("/plan", SIGNED_IN, ["Annual Partnership Plan 2016-17", "Key priority 1: Key priority 1", "Objective 0",
                                  "/export/xlsx?year=2016-17"]),
    "objective": ("/objectives/{first}", SIGNED_IN, ["Objective 0", "Deliver objective 0", "Essex Police",
                                                      "Change history", "Progress on objective 0"]),
    "edit": ("/objectives/{first}/edit", EDITORS, ["Edit objective", "Save changes"]),
    "progress": ("/objectives/{first}/progress", EDITORS, ["Add progress", "Save progress"]),
    "priorities": ("/priorities", SIGNED_IN, ["Police priority 7", "PCC priority 4"]),
    "plans": ("/plans", SIGNED_IN, ["Plan years", "2016-17"]),
    "start_next": ("/plans/next", {"coordinator"}, ["Start the 2017-18 plan", "Objective 0"]),
    "report": ("/report", {"coordinator", "lead", "other_lead", "viewer"},
               ["Board paper", "Summary", "Key priority 4", "Progress on objective 0"]),
    "chasing": ("/chasing", {"coordinator"}, ["Objectives that need an update", "Send a request for an update now"]),
    "import": ("/import", {"coordinator"}, ["Import a plan"]),
    "export": ("/export/json", SIGNED_IN, ['"format": "scp-tracker/plan@1"']),
}


@pytest.mark.parametrize("page", PAGES)
def test_page_for_each_role(page, sample_plan, plans_client):
    sample = sample_plan(6)
    path, allowed, texts = PAGES[page]
    path = path.format(first=sample.objective_ids[0])
    for role in PAGE_ROLES:
        response = plans_client(role).get(path)
        if role == "anonymous":
            assert response.status_code == 302, role
            assert "/sign-in" in response.headers["Location"]
        elif role in allowed:
            assert response.status_code == 200, (page, role)
            body = response.get_data(as_text=True)
            for text in texts:
                assert text in body, (page, role, text)
        else:
            assert response.status_code == 403, (page, role)


def test_edit_and_progress_buttons_only_for_those_who_may(sample_plan, plans_client):
    sample = sample_plan(6)
    path = f"/objectives/{sample.objective_ids[0]}"
    for role in ("coordinator", "lead"):
        body = plans_client(role).get(path).get_data(as_text=True)
        assert "Edit objective" in body and "Add progress" in body, role
    for role in ("other_lead", "partner", "viewer"):
        body = plans_client(role).get(path).get_data(as_text=True)
        assert "Edit objective" not in body and "Add progress" not in body, role


def test_board_report_link_only_for_its_readers(sample_plan, plans_client):
    sample_plan(2)
    for role in ("coordinator", "lead", "viewer"):
        assert "Board report (printable)" in plans_client(role).get("/").get_data(as_text=True), role
    for role in ("partner",):
        assert "Board report (printable)" not in plans_client(role).get("/").get_data(as_text=True), role


def test_lead_may_edit_only_objectives_of_their_agency(sample_plan, plans_client):
    sample = sample_plan(6)
    led_by_cbc = sample.objective_ids[1]
    assert plans_client("lead").get(f"/objectives/{led_by_cbc}/edit").status_code == 403
    assert plans_client("lead").get(f"/objectives/{led_by_cbc}/progress").status_code == 403


def test_unknown_objective_and_year_are_404(sample_plan, plans_client):
    sample_plan(2)
    client = plans_client("coordinator")
    assert client.get("/objectives/999999").status_code == 404
    assert client.get("/plan?year=1999-00").status_code == 404
    assert client.get("/export/pdf").status_code == 404


def test_pages_without_a_plan_say_so(plans_client):
    for path in ("/", "/plan", "/chasing", "/report", "/priorities"):
        response = plans_client("coordinator").get(path)
        assert response.status_code == 200
        assert "There is no plan yet" in response.get_data(as_text=True)
    assert "importing the annual partnership plan" in plans_client("coordinator").get("/").get_data(as_text=True)
    assert "importing" not in plans_client("viewer").get("/").get_data(as_text=True)


def test_plan_shows_rag_in_words_and_funding_summary(sample_plan, plans_client):
    sample_plan(8)
    body = plans_client("viewer").get("/plan").get_data(as_text=True)
    for word in ("Red", "Amber", "Green", "Not set"):
        assert f">{word}<" in body.replace("\n", "").replace("  ", "")
    assert "£1,000 SCP (16-17 allocation)" in body
    assert "TBC" in body


def test_plan_year_chosen_by_query(sample_plan, plans_client):
    sample_plan(2, year="2015-16")
    sample_plan(3, year="2016-17")
    client = plans_client("viewer")
    assert "Annual Partnership Plan 2016-17" in client.get("/plan").get_data(as_text=True)
    body = client.get("/plan?year=2015-16").get_data(as_text=True)
    assert "Annual Partnership Plan 2015-16" in body and "2 objectives" in body


def test_priorities_link_to_filtered_plan(sample_plan, plans_client):
    sample_plan(8)
    body = plans_client("viewer").get("/priorities").get_data(as_text=True)
    assert "police=3" in body
    assert "pcc=all" in body


def test_export_downloads_each_format(sample_plan, plans_client):
    sample_plan(3)
    client = plans_client("partner")
    for fmt in ("json", "csv", "xlsx", "html"):
        response = client.get(f"/export/{fmt}")
        assert response.status_code == 200, fmt
        assert response.headers["Content-Disposition"] == f'attachment; filename="scp-plan-2016-17.{fmt}"'
        assert response.data


def test_stylesheet_is_served(client):
    response = client.get("/static/plans/plans.css")
    assert response.status_code == 200
    assert b"@media print" in response.data
    response.close()
