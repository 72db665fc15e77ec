"""The board report page (/report) and its PDF and Word downloads; a round's board paper is the same page."""

from flask import Blueprint, Response, abort, render_template, request

from scp_tracker.core.clock import today_in_london, utcnow
from scp_tracker.core.inputs import arg_text
from scp_tracker.extensions import db
from scp_tracker.people.permissions import role_required
from scp_tracker.plans.forms import ReportForm
from scp_tracker.plans.models import Plan
from scp_tracker.plans.views import no_plan, plan_or_none
from scp_tracker.reports.paper import PaperError, build_paper, latest_round_names, plan_round
from scp_tracker.reports.rendering import paper_pdf, paper_word
from scp_tracker.rounds.board_paper import DIRECTIONS
from scp_tracker.rounds.models import ReportingRound

bp = Blueprint("reports", __name__)

# Who reads the board paper: the coordinator takes it to the board, leads see their part in it, board members are
# viewers (docs/roles.md). Partners are not shown it.
REPORT_ROLES = ("coordinator", "lead", "viewer")
DOWNLOADS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@bp.get("/report")
@role_required(*REPORT_ROLES)
def board_report():
    """The board paper: a round's (?round=), or since a date (?since=), else the current round or three months;
    ?format=pdf or docx downloads it."""
    plan = plan_or_none()
    if plan is None:
        return no_plan()
    return _paper_page(plan, arg_text("round"))


@bp.get("/rounds/<int:round_id>/board-paper")
@role_required(*REPORT_ROLES)
def round_paper(round_id: int):
    """A round's board paper: the board report of that round, at the address the rounds pages link to."""
    round_ = db.session.get(ReportingRound, round_id)
    if round_ is None:
        abort(404)
    return _paper_page(round_.plan, round_.id)


def _paper_page(plan: Plan, wanted_round: str | int | None):
    """The paper page or its download; a date in the query string wins over a round."""
    now = utcnow()
    today = today_in_london(now)
    form = ReportForm(request.args if "since" in request.args else None)
    since = form.since.data if "since" in request.args and form.validate() else None
    try:
        round_ = plan_round(plan, wanted_round if since is None else None)
        paper = build_paper(plan, today=today, now=now, since=since, round_=round_)
    except PaperError as error:
        form.since.errors = [*form.since.errors, str(error)]
        paper = build_paper(plan, today=today, now=now)
    fmt = arg_text("format") or "html"
    if fmt in DOWNLOADS and not form.errors:
        return _download(paper, fmt)
    args: dict = {"year": plan.year}
    if paper.round is not None:
        args["round"] = paper.round.id
    else:
        args["since"] = [paper.since.day, paper.since.month, paper.since.year]
    return render_template("reports/report.html", paper=paper, form=form, directions=DIRECTIONS,
                           rounds=latest_round_names(plan), download_args=args)


def _download(paper, fmt: str) -> Response:
    """The paper as a file to save: board-paper-<plan year>-<date>.<fmt>."""
    content = paper_pdf(paper) if fmt == "pdf" else paper_word(paper)
    name = f"board-paper-{paper.plan.year}-{paper.today:%Y-%m-%d}.{fmt}"
    return Response(content, mimetype=DOWNLOADS[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
