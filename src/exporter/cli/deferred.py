"""Two parts of rich that typer's help imports but exporter's help never uses, loaded on first use.

typer's help formatter imports ``rich.markdown`` (for ``rich_markup_mode="markdown"``; exporter
uses ``"rich"``) and ``rich.traceback`` (for pretty exceptions, which exporter turns off). With
markdown-it and pygments behind them they are about a third of ``exporter --help``. Until they
are installed here they load on first use: any attribute of the module, or any use of the class
typer imports from it (calling it, its attributes, isinstance), loads the real module and answers
from it, so nothing behaves differently; a test checks the help text is the same.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

#: Module -> the classes imported from it by name (``from rich.markdown import Markdown``).
DEFERRED: dict[str, tuple[str, ...]] = {
    "rich.markdown": ("Markdown",),
    "rich.traceback": ("Traceback",),
}


def defer_unused_rich() -> None:
    """Install the stand-ins for the modules in DEFERRED that are not imported yet."""
    for name, classes in DEFERRED.items():
        if name not in sys.modules:
            sys.modules[name] = DeferredModule(name, classes)


def load(name: str) -> types.ModuleType:
    """The real module ``name``, importing it now in place of its stand-in."""
    module = sys.modules.get(name)
    if module is None or isinstance(module, DeferredModule):
        sys.modules.pop(name, None)
        module = importlib.import_module(name)
    return module


class DeferredModule(types.ModuleType):
    """A stand-in module: its classes load the real module when used, anything else at once."""

    def __init__(self, name: str, classes: tuple[str, ...]) -> None:
        super().__init__(name)
        for cls in classes:
            setattr(self, cls, DeferredClass(cls, (), {"_module": name}))

    def __getattr__(self, attr: str) -> Any:
        if attr == "__path__":  # what ``from X import Y`` asks: both are modules, not packages
            raise AttributeError(attr)
        return getattr(load(self.__name__), attr)


class DeferredClass(type):
    """A stand-in class: calling it, reading its attributes or isinstance use the real class."""

    _module: str

    def real(cls) -> Any:
        return getattr(load(cls._module), cls.__name__)

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        return cls.real()(*args, **kwargs)

    def __getattr__(cls, attr: str) -> Any:
        return getattr(cls.real(), attr)

    def __instancecheck__(cls, obj: Any) -> bool:
        return isinstance(obj, cls.real())

    def __subclasscheck__(cls, sub: type) -> bool:
        return issubclass(sub, cls.real())
