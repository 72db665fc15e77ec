"""Agencies, their contacts, and the logins some contacts have."""

import secrets
from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ColumnElement, ForeignKey, Index, String, UniqueConstraint, exists, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scp_tracker.core.db_types import UTCDateTime, utcnow
from scp_tracker.core.versioning import Versioned
from scp_tracker.extensions import Model

ROLES = ("coordinator", "lead", "key_priority_lead", "partner", "viewer")
# The role held for one key priority (a user_role row with its key_priority_id); the others are held plainly.
KEY_PRIORITY_LEAD = "key_priority_lead"
# What each role may do, in the words the invitation and the users page use.
ROLE_DESCRIPTIONS = {
    "coordinator": "keeps the plan, agencies, contacts and logins",
    "lead": "updates the objectives their agency leads",
    "key_priority_lead": "updates every objective of their key priority and is told when its updates are late",
    "partner": "records events their agency held",
    "viewer": "reads the plan, the dashboard and the board report",
}
# The roles a contact import or the command line may give: the key priority lead's needs its key priority.
IMPORTABLE_ROLES = tuple(role for role in ROLES if role != KEY_PRIORITY_LEAD)
ROLE_NAMES = {role: role.replace("_", " ").capitalize() for role in ROLES}


class Agency(Versioned, Model):
    """A partner organisation (council, police, fire service, a charity…), known by its abbreviation."""

    __tablename__ = "agency"

    id: Mapped[int] = mapped_column(primary_key=True)
    abbreviation: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # Its people sign in through their organisation's account only: no passwords, no password links.
    requires_single_sign_on: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    contacts: Mapped[list["Contact"]] = relationship(back_populates="agency", order_by="Contact.name")

    def __repr__(self) -> str:
        return f"<Agency {self.abbreviation}>"


class Contact(Versioned, Model):
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


class UserRole(Model):
    """One role a login holds; a person may hold several, and may do what any of them allows.

    The key priority lead role names its key priority (a table of the plans area, referred to by name only: people
    sits below plans); the other roles have none.
    """

    __tablename__ = "user_role"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    key_priority_id: Mapped[int | None] = mapped_column(ForeignKey("key_priority.id", ondelete="CASCADE"),
                                                        index=True)

    __table_args__ = (UniqueConstraint("user_id", "role", "key_priority_id"),)

    def __repr__(self) -> str:
        return f"<UserRole {self.role}:{self.key_priority_id}>"


class User(UserMixin, Versioned, Model):
    """A contact's login: its roles, a password hash, and a session id that changes with the password."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(256))
    # Flask-Login stores this, not the id, so a password change ends every other session.
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=lambda: secrets.token_hex(32))
    is_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    contact: Mapped[Contact] = relationship(back_populates="user")
    # Loaded with the login (one query), since nearly every page asks what the signed-in person may do.
    role_links: Mapped[list[UserRole]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, lazy="selectin",
        order_by=(UserRole.role, UserRole.key_priority_id))

    @property
    def roles(self) -> frozenset[str]:
        """Every role the login holds."""
        return frozenset(link.role for link in self.role_links)

    @property
    def led_key_priority_ids(self) -> frozenset[int]:
        """The key priorities this person leads (as a key priority lead)."""
        return frozenset(link.key_priority_id for link in self.role_links
                         if link.role == KEY_PRIORITY_LEAD and link.key_priority_id is not None)

    def get_id(self) -> str:
        """The alternative id Flask-Login keeps in the session."""
        return self.session_token

    @property
    def is_active(self) -> bool:
        """A disabled login, or one whose contact has left, cannot sign in."""
        return self.is_enabled and self.contact.is_active

    def __repr__(self) -> str:
        return f"<User {self.contact.email} {'+'.join(sorted(self.roles))}>"


def holds_role(role: str) -> ColumnElement[bool]:
    """SQL: the login (a row of User) holds this role."""
    return exists().where(UserRole.user_id == User.id, UserRole.role == role)


class LoginAttempt(Model):
    """A failed sign-in, kept for a while so throttling holds across every web worker."""

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(400))  # "email:<address>" or "ip:<address>"
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    __table_args__ = (Index("ix_login_attempt_key_attempted_at", "key", "attempted_at"),)


class PasswordToken(Model):
    """An emailed link to set a password: only its hash is stored; single use; expires."""

    __tablename__ = "password_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(10))  # "reset" | "invite"
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex of the emailed token
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class OidcIdentity(Model):
    """A login's account at an OpenID provider, by the provider's stable subject, remembered on first use."""

    __tablename__ = "oidc_identity"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    provider: Mapped[str] = mapped_column(String(40))  # the name in SCP_OIDC_PROVIDERS
    subject: Mapped[str] = mapped_column(String(255))  # the ID token's "sub"
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    __table_args__ = (UniqueConstraint("provider", "subject"), UniqueConstraint("user_id", "provider"))


class AgencySignInDomain(Model):
    """An email domain whose people may sign in through a provider as a role at an agency, with no invitation."""

    __tablename__ = "agency_sign_in_domain"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    domain: Mapped[str] = mapped_column(String(253), unique=True)  # lower case, such as essex.police.uk
    role: Mapped[str] = mapped_column(String(20), default="viewer", server_default="viewer")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    agency: Mapped[Agency] = relationship()
