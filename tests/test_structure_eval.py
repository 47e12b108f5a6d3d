"""The structure evaluation set (benchmarks/evalset): its files are sound, and the reader holds
the figures the README reports (benchmarks/structure.py computes them)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
EVALSET = ROOT / "benchmarks" / "evalset"
KEYS = {
    "id", "kind", "source", "licence", "derivation", "language", "title", "subtitle",
    "document_number", "addressee", "signature", "date", "headings", "boilerplate",
    "preformatted", "notes",
}  # fmt: skip


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "structure_eval", ROOT / "benchmarks" / "structure.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["structure_eval"] = module
    spec.loader.exec_module(module)
    return module


structure = _load()
DOCS = sorted(EVALSET.glob("*.txt"))


def test_the_set_is_larger_than_the_fixtures() -> None:
    assert len(DOCS) >= 60
    kinds = {json.loads(p.with_suffix(".json").read_text("utf-8"))["kind"] for p in DOCS}
    assert len(kinds) >= 8


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.stem)
def test_each_expectation_is_complete_and_found_in_its_text(path: Path) -> None:
    """Every expectation names its source and licence, and every heading it lists stands in the
    text in that order: expectations are written from the text, so they can be checked on it."""
    expect = json.loads(path.with_suffix(".json").read_text("utf-8"))
    assert KEYS <= set(expect), KEYS - set(expect)
    assert expect["id"] == path.stem and expect["source"] and expect["licence"]
    text = structure.squeeze(path.read_text("utf-8"))
    at = 0
    for level, heading in expect["headings"]:
        assert isinstance(level, int) and level >= 1
        key = structure.squeeze(heading)
        found = text.find(key, at)
        assert found >= 0, f"heading {heading!r} not in the text after position {at}"
        at = found + len(key)
    if expect["title"]:
        assert structure.squeeze(expect["title"]) in text


def test_the_reader_meets_the_reported_figures() -> None:
    """Titles all right and nothing lost (the issue's targets); headings at least at the
    figures the README reports, so a change that loses structure fails here."""
    summary = structure.evaluate(EVALSET).summary()
    assert summary["titles"]["right"] == summary["titles"]["of"]
    assert summary["characters"]["lost"] == 0
    floor = json.loads((EVALSET / "FLOOR.json").read_text("utf-8"))
    headings = summary["headings"]
    assert headings["precision"] >= floor["heading_precision"], headings
    assert headings["recall"] >= floor["heading_recall"], headings
