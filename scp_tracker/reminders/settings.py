"""The coordinator's reminder settings: the defaults, overridden by what was saved on the settings page."""

import json
from dataclasses import fields
from datetime import datetime
from typing import Any

from sqlalchemy import select

from scp_tracker.extensions import db
from scp_tracker.reminders.models import ReminderSetting
from scp_tracker.reminders.rules import ReminderSettings


def load_settings() -> ReminderSettings:
    """The defaults, overridden by what the coordinator saved (one query)."""
    saved = {key: value for key, value in db.session.execute(select(ReminderSetting.key, ReminderSetting.value))}
    values: dict[str, Any] = {}
    for setting in fields(ReminderSettings):
        if setting.name in saved:
            value = json.loads(saved[setting.name])
            values[setting.name] = tuple(value) if isinstance(value, list) else value
    return ReminderSettings(**values)


def save_settings(settings: ReminderSettings, *, user_id: int | None, now: datetime) -> list[str]:
    """Store the settings that differ from what is saved; returns the names of those that changed."""
    current = load_settings()
    rows = {row.key: row for row in db.session.scalars(select(ReminderSetting))}
    changed = []
    for setting in fields(ReminderSettings):
        value = getattr(settings, setting.name)
        if value == getattr(current, setting.name):
            continue
        text = json.dumps(list(value) if isinstance(value, tuple) else value)
        row = rows.get(setting.name) or ReminderSetting(key=setting.name)
        row.value, row.updated_at, row.updated_by_user_id = text, now, user_id
        db.session.add(row)
        changed.append(setting.name)
    db.session.flush()
    return changed
