"""Plain rows for pages that list things: what belongs to each listed item, read in one query for the page."""

from collections import defaultdict

from scp_tracker.extensions import db


def grouped_rows(statement, ids, record=None) -> dict[int, tuple]:
    """The statement's rows of (owner id, values…) for these owners, by owner: each row's one value, or a record.

    The statement takes the owners' ids as an expanding bind parameter named "ids".
    """
    grouped = defaultdict(list)
    for owner_id, *values in db.session.connection().execute(statement, {"ids": list(ids)}).all():
        grouped[owner_id].append(record(*values) if record else values[0])
    return {owner_id: tuple(items) for owner_id, items in grouped.items()}
