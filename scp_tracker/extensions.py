"""Flask extensions, created unbound so the app factory binds them (one place to find them all)."""

from typing import TYPE_CHECKING

from flask_caching import Cache
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# A naming convention from the first migration, so Alembic names constraints predictably.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base whose metadata carries the naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

# The base class every model subclasses. At run time it is Flask-SQLAlchemy's `db.Model`, a class it
# makes from Base's body plus `query` and automatic table names (same metadata and registry). A type
# checker cannot use an attribute such as `db.Model` as a base class (python/mypy#8603,
# Flask-SQLAlchemy #1186), so it is told the declarative `Base` that class is made from instead.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model

migrate = Migrate()
mail = Mail()
login_manager = LoginManager()
csrf = CSRFProtect()
# Figures only, never markup, keyed on the data version (scp_tracker.core.figures).
cache = Cache()
