"""Issue 17: the app uses its libraries through their public interfaces; no private method of theirs is replaced."""

import importlib
import inspect
import pkgutil

import scp_tracker

METHODS = (staticmethod, classmethod, property)


def _own_classes():
    """Every class defined in the app's modules."""
    for module_info in pkgutil.walk_packages(scp_tracker.__path__, "scp_tracker."):
        module = importlib.import_module(module_info.name)
        for cls in vars(module).values():
            if inspect.isclass(cls) and cls.__module__ == module.__name__:
                yield cls


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def test_no_class_of_the_app_overrides_a_private_method_of_a_library():
    """A subclass that replaces `_something` of a library's class breaks silently when the library changes it."""
    overrides = []
    for cls in _own_classes():
        for name, value in vars(cls).items():
            if not _is_private(name) or not (inspect.isfunction(value) or isinstance(value, METHODS)):
                continue
            for base in cls.__mro__[1:]:
                if not base.__module__.startswith("scp_tracker") and name in vars(base):
                    overrides.append(f"{cls.__module__}.{cls.__qualname__}.{name} overrides "
                                     f"{base.__module__}.{base.__qualname__}.{name}")
    assert overrides == []
