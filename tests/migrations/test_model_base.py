"""Every model is built on Flask-SQLAlchemy's `db.Model` at run time, whatever the type checker is told."""

from scp_tracker.extensions import Base, Model, db


def test_models_subclass_the_flask_sqlalchemy_model_sharing_the_named_metadata(app):
    """`Model` is `db.Model` (query, table names), made from Base's body, so constraints keep the naming convention."""
    assert Model is db.Model
    assert Model.metadata is Base.metadata is db.metadata
    assert Model.registry is Base.registry
    mapped = {mapper.class_ for mapper in Model.registry.mappers}
    assert mapped and all(issubclass(model, Model) for model in mapped)
