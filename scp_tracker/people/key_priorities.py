"""The key priorities a key priority lead may lead, offered by the plans area: people sits below plans, so it asks
through a function plans registers (`app.extensions[PROVIDER]`) rather than importing it."""

from collections.abc import Callable, Iterable

from flask import current_app

PROVIDER = "scp_key_priority_labels"
Labels = Callable[[Iterable[int] | None], dict[int, str]]


def key_priority_labels(ids: Iterable[int] | None = None) -> dict[int, str]:
    """{id: "2016-17, key priority 1: Title"} of the key priorities one can be made lead of (those of the plans in
    use, not retired), or of these ids whatever their plan; in plan and number order."""
    provider: Labels | None = current_app.extensions.get(PROVIDER)
    return provider(ids) if provider is not None else {}
