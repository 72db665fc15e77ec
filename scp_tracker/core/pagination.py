"""The page links under a long list, as GOV.UK's pagination component takes them."""

from typing import Any


def pagination_params(page: int, pages: int, href) -> dict | None:
    """govukPagination's parameters: first, last and the pages around this one, with gaps as ellipses."""
    if pages <= 1:
        return None
    shown = sorted({1, pages, page - 1, page, page + 1} & set(range(1, pages + 1)))
    hrefs = {number: href(number) for number in shown}  # previous and next are among them: build each link once
    items: list[dict[str, Any]] = []
    previous = 0
    for number in shown:
        if number - previous > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": hrefs[number], "current": number == page})
        previous = number
    params: dict[str, Any] = {"items": items}
    if page > 1:
        params["previous"] = {"href": hrefs[page - 1]}
    if page < pages:
        params["next"] = {"href": hrefs[page + 1]}
    return params
