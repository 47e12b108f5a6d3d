"""The same input gives the same bytes, whatever the clock says: every real fixture, every format."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, REAL

from exporter import diagnostics
from exporter.options import GONGWEN, WriteOptions
from exporter.reader import read_file
from exporter.writers import get_writer

SMALL_REAL = sorted(p.name for p in REAL.glob("*.txt") if p.stat().st_size < 300_000)
#: Markdown (with its images) and the 公文 fixtures, in the gongwen profile (版头, 版记).
OTHERS = sorted(
    str(p.relative_to(FIXTURES))
    for p in [
        *FIXTURES.glob("markdown/*.md"),
        *FIXTURES.glob("markdown/*.markdown"),
        *FIXTURES.glob("official/*.txt"),
    ]
)


@pytest.mark.parametrize("fmt", ["pdf", "docx", "epub"])
@pytest.mark.parametrize("name", SMALL_REAL)
def test_same_bytes_a_minute_later(name: str, fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Whatever a library would stamp with the time of writing shows up here (fontTools' head
    # .modified in the PDF's blank glyphs did, for the mixed copywriting guidelines): the clock
    # moves a minute between the two writes.
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert _twice(REAL / name, fmt, WriteOptions(), monkeypatch)


@pytest.mark.parametrize("fmt", ["pdf", "docx", "epub"])
@pytest.mark.parametrize("name", OTHERS)
def test_same_bytes_a_minute_later_markdown_and_gongwen(
    name: str, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    options = WriteOptions(profile=GONGWEN) if name.startswith("official") else WriteOptions()
    assert _twice(FIXTURES / name, fmt, options, monkeypatch)


def _twice(path: Path, fmt: str, options: WriteOptions, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Whether ``path`` written as ``fmt`` gives the same bytes with the clock a minute on."""
    doc = read_file(path)
    writer = get_writer(fmt)
    now = time.time()
    outputs = []
    with diagnostics.collect():
        for moment in (now, now + 60):
            monkeypatch.setattr(time, "time", lambda moment=moment: moment)
            buf = io.BytesIO()
            writer.write(doc, options, buf)
            outputs.append(buf.getvalue())
    return outputs[0] == outputs[1]
