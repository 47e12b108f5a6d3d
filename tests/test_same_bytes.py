"""The same input gives the same bytes, whatever the clock says: every real fixture, every format."""

from __future__ import annotations

import io
import time

import pytest
from conftest import REAL

from exporter import diagnostics
from exporter.options import WriteOptions
from exporter.reader import read_file
from exporter.writers import get_writer

FIXTURES = sorted(p.name for p in REAL.glob("*.txt") if p.stat().st_size < 300_000)


@pytest.mark.parametrize("fmt", ["pdf", "docx", "epub"])
@pytest.mark.parametrize("name", FIXTURES)
def test_same_bytes_a_minute_later(name: str, fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Whatever a library would stamp with the time of writing shows up here (fontTools' head
    # .modified in the PDF's blank glyphs did, for the mixed copywriting guidelines): the clock
    # moves a minute between the two writes.
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    doc = read_file(REAL / name)
    writer = get_writer(fmt)
    now = time.time()
    outputs = []
    with diagnostics.collect():
        for moment in (now, now + 60):
            monkeypatch.setattr(time, "time", lambda moment=moment: moment)
            buf = io.BytesIO()
            writer.write(doc, WriteOptions(), buf)
            outputs.append(buf.getvalue())
    assert outputs[0] == outputs[1]
