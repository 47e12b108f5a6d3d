"""Immutable record classes: slotted dataclasses built with one generated method instead of six."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import Field, dataclass, field, fields
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform, overload

_T = TypeVar("_T")


# Why not ``@dataclass(frozen=True, slots=True)``: on Python 3.11 that compiles six methods per
# class from source text (__init__, __repr__, __eq__, __hash__, __setattr__, __delattr__),
# about 0.3 ms each; the 74 record classes (of the ~85 dataclasses a cold conversion imports)
# spent 50-60 ms there, a twentieth of a cold novel-to-DOCX run. Here only __init__ is generated; equality,
# hashing and repr are shared functions over the fields (as dataclasses defines them), and
# immutability is checked statically: ``frozen_default`` makes mypy refuse assignments.
@overload
def record(cls: type[_T], /) -> type[_T]: ...
@overload
def record(*, eq: bool = True) -> Callable[[type[_T]], type[_T]]: ...
@dataclass_transform(frozen_default=True, field_specifiers=(field, Field))
def record(cls: type[_T] | None = None, /, *, eq: bool = True) -> Any:
    """Declare a frozen, slotted dataclass (``eq=False``: compared and hashed by identity)."""

    def make(cls: type[_T]) -> type[_T]:
        # What the class defines itself stays, as with dataclass (its __hash__ too, unless it
        # is the None that defining __eq__ sets).
        own = cls.__dict__
        explicit_hash = own.get("__hash__", None) is not None or (
            "__hash__" in own and "__eq__" not in own
        )
        made = dataclass(slots=True, eq=False, repr=False)(cls)
        all_fields = fields(made)  # type: ignore[arg-type]
        if "__repr__" not in own:
            made._record_repr = tuple(f.name for f in all_fields if f.repr)  # type: ignore[attr-defined]
            made.__repr__ = _repr  # type: ignore[method-assign]
        if eq and "__eq__" not in own:
            compared = [f.name for f in all_fields if f.compare]
            made._record_eq = _getter(compared)  # type: ignore[attr-defined]
            made.__eq__ = _eq  # type: ignore[method-assign]
        if eq and not explicit_hash:
            hashed = [f.name for f in all_fields if (f.compare if f.hash is None else f.hash)]
            made._record_hash = _getter(hashed)  # type: ignore[attr-defined]
            made.__hash__ = _hash  # type: ignore[method-assign]
        return made

    return make if cls is None else make(cls)


def _getter(names: list[str]) -> Callable[[Any], Any]:
    return attrgetter(*names) if names else _nothing


def _nothing(_: object) -> tuple[()]:
    return ()


def _eq(self: Any, other: Any) -> Any:
    # As a dataclass's __eq__: instances of the very same class, field by field.
    if other.__class__ is self.__class__:
        key = self.__class__._record_eq  # from the class: a plain function stays unbound
        return key(self) == key(other)
    return NotImplemented


def _hash(self: Any) -> int:
    return hash(self.__class__._record_hash(self))


def _repr(self: Any) -> str:
    cls = type(self)
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in cls._record_repr)
    return f"{cls.__qualname__}({shown})"
