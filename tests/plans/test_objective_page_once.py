"""The objective page says each thing once: RAG and status as tags under the title, the key priority above it."""

import re


def test_rag_status_and_key_priority_are_shown_once(sample_plan, plans_client):
    sample = sample_plan(1)  # objective 0: key priority 1, RAG red, open, no progress written
    html = plans_client("coordinator").get(f"/objectives/{sample.objective_ids[0]}").get_data(as_text=True)
    main = html[html.index("<main"):html.index('id="progress"')]  # each update has its own RAG
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))

    assert text.count("RAG") == 1 and text.count("Red") == 1
    assert text.count("Status") == 1 and text.count("Open") == 1
    assert text.count("Key priority 1: Key priority 1") == 1  # the sample names key priority 1 "Key priority 1"
    assert "1. Key priority 1" not in text
