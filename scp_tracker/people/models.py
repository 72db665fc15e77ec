"""Agencies, their contacts, and the logins some contacts have."""

import secrets
from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, String, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scp_tracker.db_types import UTCDateTime, utcnow
from scp_tracker.extensions import db

ROLES = ("coordinator", "lead", "partner", "viewer")


class Agency(db.Model):
    """A partner organisation (council, police, fire service, a charity…), known by its abbreviation."""

    __tablename__ = "agency"

    id: Mapped[int] = mapped_column(primary_key=True)
    abbreviation: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    contacts: Mapped[list["Contact"]] = relationship(back_populates="agency", order_by="Contact.name")

    def __repr__(self) -> str:
        return f"<Agency {self.abbreviation}>"


class Contact(db.Model):
    """A person at an agency who may lead objectives and receive reminders."""

    __tablename__ = "contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    phone: Mapped[str | None] = mapped_column(String(50))
    job_title: Mapped[str | None] = mapped_column(String(200))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    receives_reminders: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    reminders_paused_until: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    agency: Mapped[Agency] = relationship(back_populates="contacts")
    user: Mapped["User | None"] = relationship(back_populates="contact", uselist=False)

    def __repr__(self) -> str:
        return f"<Contact {self.name} <{self.email}>>"


class User(UserMixin, db.Model):
    """A contact's login: a role, a password hash, and a session id that changes with the password."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(256))
    # Flask-Login stores this, not the id, so a password change ends every other session.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=lambda: secrets.token_hex(32))
    is_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    contact: Mapped[Contact] = relationship(back_populates="user")

    def get_id(self) -> str:
        """The alternative id Flask-Login keeps in the session."""
        return self.session_token

    @property
    def is_active(self) -> bool:
        """A disabled login, or one whose contact has left, cannot sign in."""
        return self.is_enabled and self.contact.is_active

    def __repr__(self) -> str:
        return f"<User {self.contact.email} {self.role}>"
