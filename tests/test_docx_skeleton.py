"""The bundled default DOCX template: committed bytes equal a rebuild; a clean python-docx package."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE

from exporter.api import read_text
from exporter.model import Document
from exporter.options import GONGWEN, STANDARD, Profile, WriteOptions
from exporter.writers.docx import DocxWriter, default, skeleton


def test_committed_template_equals_a_rebuild() -> None:
    assert skeleton.PATH.read_bytes() == skeleton.build(), (
        "default.docx is stale: run python -m exporter.writers.docx.skeleton"
    )


def test_rebuild_is_deterministic() -> None:
    assert skeleton.build() == skeleton.build()


def test_template_opens_in_python_docx_without_author_or_time() -> None:
    data = skeleton.PATH.read_bytes()
    document = docx.Document(io.BytesIO(data))
    props = document.core_properties
    assert props.author == "" and props.last_modified_by == ""
    assert props.created is None and props.modified is None
    assert len(document.paragraphs) == 0
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert {"Normal", "Title", "Heading 1", "Footer"} <= {s.name for s in document.styles}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert b"python-docx" not in b"".join(zf.read(n) for n in zf.namelist())
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def _house_template(tmp_path: Path) -> Path:
    """The bundled template with one more paragraph style (python-docx's API and save)."""
    document = docx.Document(str(skeleton.PATH))
    document.styles.add_style("HouseMark", WD_STYLE_TYPE.PARAGRAPH)
    path = tmp_path / "house.docx"
    document.save(str(path))
    return path


def test_default_writer_builds_on_the_bundled_template(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The writer opens the bundled template with python-docx: what the template holds (here
    an extra style) reaches the output, the writer's own styles and section stay."""
    doc = read_text("标题\n\n正文第一段。\n")
    monkeypatch.setattr(skeleton, "PATH", _house_template(tmp_path))
    default._template.cache_clear()
    try:
        data = _write(doc, WriteOptions(embed_fonts=False))
    finally:
        default._template.cache_clear()
    out = docx.Document(io.BytesIO(data))
    names = {s.name for s in out.styles}
    assert "HouseMark" in names and {"Normal", "Title"} <= names
    assert [p.text for p in out.paragraphs] == ["标题", "正文第一段。"]


@pytest.mark.parametrize("profile", [STANDARD, GONGWEN], ids=["standard", "gongwen"])
def test_default_output_is_deterministic_without_tool_author_or_time(profile: Profile) -> None:
    doc = read_text("标题\n\n正文第一段。\n")
    options = WriteOptions(profile=profile, embed_fonts=False, source_date_epoch=1_600_000_000)
    data = _write(doc, options)
    assert data == _write(doc, options)
    out = docx.Document(io.BytesIO(data))
    assert out.core_properties.author == "" and out.core_properties.last_modified_by == ""
    assert out.core_properties.modified == datetime(2020, 9, 13, 12, 26, 40, tzinfo=UTC)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert b"python-docx" not in b"".join(zf.read(n) for n in zf.namelist())
        assert {i.date_time for i in zf.infolist()} == {(2020, 9, 13, 12, 26, 40)}
    section = out.sections[0]
    grid = section._sectPr.find(q("docGrid"))
    if profile is GONGWEN:
        assert out.settings.odd_and_even_pages_header_footer
        assert not section.even_page_footer.is_linked_to_previous
        assert grid.get(q("type")) == "linesAndChars" and grid.get(q("charSpace"))
        for footer in (section.footer, section.even_page_footer):
            assert "PAGE" in "".join(footer._element.itertext())
    else:
        assert not out.settings.odd_and_even_pages_header_footer
        assert grid.get(q("type")) == "lines" and grid.get(q("charSpace")) is None
        assert "PAGE" in "".join(section.footer._element.itertext())


def q(name: str) -> str:
    return f"{{http://schemas.openxmlformats.org/wordprocessingml/2006/main}}{name}"


def _write(doc: Document, options: WriteOptions) -> bytes:
    buf = io.BytesIO()
    DocxWriter().write(doc, options, buf)
    return buf.getvalue()
