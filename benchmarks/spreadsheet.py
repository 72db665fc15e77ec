"""A plan as a coordinator might keep it in a spreadsheet, for the import benchmark."""

import io
import random

from benchmarks.county import DEFAULT_SEED
from benchmarks.county_words import (
    KEY_PRIORITY_TITLES,
    PROGRESS_TEXTS,
    TOPICS,
    VERBS,
)

SPREADSHEET_HEADERS = ("Key priority", "Key priority title", "Key priority lead", "Objective", "Progress / output",
                       "Funding", "Project lead / agency", "End date", "Police priority", "PCC priority", "RAG")


def plan_workbook(rows: int, *, seed: int = DEFAULT_SEED, year: str = "2017-18") -> bytes:
    """An .xlsx plan as a coordinator might keep it: one objective per row, with the usual columns."""
    from openpyxl import Workbook

    rng = random.Random(seed)
    start = int(year[:4])
    book = Workbook()
    sheet = book.active
    sheet.title = "Objectives"
    sheet.append(SPREADSHEET_HEADERS)
    leads = ("CBC", "Essex Police", "CBH", "CCG", "CRC / NPS", "CBC / Police", "TBC", "")
    for i in range(rows):
        kp = i % 6 + 1
        title = f"{rng.choice(VERBS)} {rng.choice(TOPICS)} ({i + 1})"
        funding = rng.choice(("£5,000 SCP (16-17 allocation)", "TBC", "N/A", "Nil cost",
                              "£2000 PCC (16-17 PCC funds)", ""))
        end = rng.choice((f"Apr {(start + 1) % 100:02d}", f"Sept {start % 100:02d}", f"March {start + 1}",
                          "TBC", ""))
        sheet.append((kp, KEY_PRIORITY_TITLES[kp - 1], "CBH" if kp % 2 else "Essex Police",
                      f"<b>{title}</b> with partners across the borough", rng.choice(PROGRESS_TEXTS).format(n=i),
                      funding, rng.choice(leads), end, rng.choice(("1", "3", "Multiple", "all", "")),
                      rng.choice(("2", "5", "")), rng.choice(("Red", "Amber", "Green", ""))))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

