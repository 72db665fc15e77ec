"""What an import did: the report the command line and the import page show."""

from dataclasses import dataclass, field
from datetime import date


@dataclass
class ImportReport:
    """What an import created, changed and could not interpret, for the command line and the import page."""

    filename: str
    plan_year: str = ""
    priorities: int = 0
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    not_in_file: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    agencies_created: list[str] = field(default_factory=list)
    contacts_created: list[str] = field(default_factory=list)  # named officers added as their agency's contacts
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False
    progress_on: date | None = None  # the date the file's undated progress notes are given
    columns_note: str = ""  # when the columns were read as chosen for an earlier file with the same headers
    unsure_columns: list[str] = field(default_factory=list)  # columns kept as notes that might hold a field
    columns_read: int = 0  # columns of the objectives table (none for our JSON export)
    progress_on_given: bool = False  # by the person importing (--as-of, the page's date), not the plan's own date

    @property
    def has_changes(self) -> bool:
        """Whether the import wrote (or would write) anything."""
        return bool(self.created or self.updated or self.agencies_created or self.contacts_created or self.changes)

    def summary(self) -> str:
        """One line a coordinator can read: what happened to the plan."""
        verb = "would be" if self.dry_run else "were"
        if not self.has_changes:
            return (f"{self.filename}: no changes — plan {self.plan_year} already matches "
                    f"({len(self.unchanged)} objectives unchanged).")
        return (
            f"{self.filename}: plan {self.plan_year}, {self.priorities} key priorities; objectives: "
            f"{len(self.created)} created, {len(self.updated)} updated, {len(self.unchanged)} unchanged; "
            f"{len(self.agencies_created)} agencies {verb} added; {len(self.warnings)} warnings."
        )

    def progress_dating(self) -> str:
        """Which date the file's progress notes are given, and why, in words."""
        if self.progress_on is None:
            return ""
        on = f"{self.progress_on.day} {self.progress_on:%B %Y}"
        if self.progress_on_given:
            return f"Progress notes the file does not date are dated {on}, as given."
        return (f"Progress notes the file does not date are dated {on}, the start of plan {self.plan_year}; "
                "give the date they were written to date them by it.")
