"""Plans in layouts the importer had never seen: read by their headers, or with the columns the coordinator names."""

import pytest
from support.layouts import LAYOUTS, read_back

from scp_tracker.documents.column_mapping import ColumnsNeeded
from scp_tracker.documents.file_readers import read_plan_file


@pytest.fixture(params=sorted(LAYOUTS))
def layout(request):
    return LAYOUTS[request.param]()


def test_each_layout_reads_with_the_columns_named(layout):
    """Every field of every objective, the key priorities from grouping rows or a theme column, and the year."""
    plan = read_plan_file(layout.content, layout.filename, choices=layout.choices())
    year, priorities, objectives = read_back(plan)
    assert (year, priorities) == (layout.plan_year, layout.priorities)
    assert objectives == layout.objectives


def test_each_layout_reads_by_its_headers_alone_or_asks(layout):
    """Without a mapping a layout reads the same by its headers, or is refused naming its columns, never misread."""
    if layout.needs_choices:
        with pytest.raises(ColumnsNeeded) as refused:
            read_plan_file(layout.content, layout.filename)
        assert refused.value.survey.headers == layout.headers
        assert not refused.value.survey.has_objective
        return
    plan = read_plan_file(layout.content, layout.filename)
    year, priorities, objectives = read_back(plan)
    assert (year, priorities, objectives) == (layout.plan_year, layout.priorities, layout.objectives)
    assert [column.header for column in plan.columns] == layout.headers
