"""What an import did: the report the command line and the import page show."""

from dataclasses import dataclass, field


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
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def has_changes(self) -> bool:
        """Whether the import wrote (or would write) anything."""
        return bool(self.created or self.updated or self.agencies_created or self.changes)

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
