"""exporter.record: a record behaves as the frozen, slotted dataclass it replaces."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from dataclasses import field

import pytest

from exporter.record import record


@record
class Cell:
    text: str
    span: int = 1
    notes: tuple[str, ...] = field(default=(), compare=False)


@dataclasses.dataclass(frozen=True, slots=True)
class CellDC:
    text: str
    span: int = 1
    notes: tuple[str, ...] = field(default=(), compare=False)


@record
class Secretive:
    key: str

    def __repr__(self) -> str:
        return "Secretive(***)"


@record(eq=False)
class Handle:
    name: str


@record
class Empty:
    pass


def test_equality_hash_and_repr_as_a_dataclass() -> None:
    a, b, c = Cell("甲", 2, ("注",)), Cell("甲", 2), Cell("乙")
    assert a == b and hash(a) == hash(b)  # compare=False fields left out, as dataclass does
    assert a != c and Cell("甲") != CellDC("甲")  # another class is never equal
    assert repr(a) == repr(CellDC("甲", 2, ("注",))).replace("CellDC", "Cell")
    assert {a, b, c} == {a, c}
    assert Empty() == Empty() and hash(Empty()) == hash(Empty()) and repr(Empty()) == "Empty()"


def test_what_the_class_defines_stays() -> None:
    assert repr(Secretive("S3CR3T")) == "Secretive(***)"
    one, other = Handle("x"), Handle("x")
    assert one != other and one == one and len({one, other}) == 2  # eq=False: identity


def test_slots_fields_replace_match_pickle() -> None:
    a = Cell("甲", 2)
    assert Cell.__slots__ == ("text", "span", "notes") and not hasattr(a, "__dict__")
    assert [f.name for f in dataclasses.fields(a)] == ["text", "span", "notes"]
    assert dataclasses.replace(a, span=3) == Cell("甲", 3)
    match a:
        case Cell(text, span):
            assert (text, span) == ("甲", 2)
        case _:
            pytest.fail("no match")
    assert pickle.loads(pickle.dumps(a)) == a and copy.deepcopy(a) == a
