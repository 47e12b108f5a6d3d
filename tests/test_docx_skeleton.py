"""The bundled default DOCX template: committed bytes equal a rebuild; a clean python-docx package."""

from __future__ import annotations

import io
import zipfile

import docx

from exporter.writers.docx import skeleton


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
