"""Python API and writer-contract tests: every registered writer takes every block kind."""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import SAMPLE, all_blocks_document
from helpers import PLUGIN_PATH
from pypdf import PdfReader

import exporter
from exporter.errors import ExporterError
from exporter.model import document_text
from exporter.writers import available, get_writer


def nonspace(s: str) -> str:
    return "".join(c for c in s if not c.isspace())


def test_read_and_write_api(tmp_path: Path) -> None:
    doc = exporter.read_file(SAMPLE)
    assert doc.meta.title == "习近平在决战决胜脱贫攻坚座谈会上讲话"
    assert exporter.read_text(SAMPLE.read_text("utf-8")).blocks == doc.blocks
    assert exporter.read_data(SAMPLE.read_bytes()).blocks == doc.blocks
    pdf = exporter.write(doc, "pdf")
    assert pdf is not None and pdf.startswith(b"%PDF")
    target = tmp_path / "x.docx"
    assert exporter.write(doc, "docx", target, exporter.write_options("gongwen")) is None
    assert zipfile.is_zipfile(target)


def test_convert_api(tmp_path: Path) -> None:
    report = exporter.convert([SAMPLE], formats=["docx"], out_dir=tmp_path, jobs=1)
    assert report.exit_code == 0
    assert (tmp_path / (SAMPLE.stem + ".docx")).is_file()
    again = exporter.convert([SAMPLE], formats=["docx"], out_dir=tmp_path, jobs=1)
    assert again.totals()["unchanged"] == 1


@pytest.fixture
def with_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(PLUGIN_PATH))


def test_every_writer_takes_every_block(with_plugins: None) -> None:
    doc = all_blocks_document()
    names = [i.name for i in available() if not i.error]
    assert {"docx", "pdf", "epub", "plain"} <= set(names)
    for name in names:
        buf = io.BytesIO()
        get_writer(name).write(doc, exporter.write_options(), buf)
        data = buf.getvalue()
        assert data, name
    # the PDF's text layer holds every character of the canonical document, in order
    buf = io.BytesIO()
    get_writer("pdf").write(doc, exporter.write_options(), buf)
    buf.seek(0)
    text = "".join(page.extract_text() or "" for page in PdfReader(buf).pages)
    expected = nonspace(document_text(doc))
    it = iter(nonspace(text))
    assert all(ch in it for ch in expected)


def test_broken_plugin_is_reported_not_fatal(with_plugins: None) -> None:
    infos = {i.name: i for i in available()}
    assert infos["missing"].error
    assert not infos["plain"].error
    with pytest.raises(ExporterError, match="failed to load"):
        get_writer("missing")


def test_python_m_exporter_works() -> None:
    import subprocess

    proc = subprocess.run(
        [sys.executable, "-m", "exporter", "--version"], capture_output=True, check=False
    )
    assert proc.returncode == 0 and proc.stdout.startswith(b"exporter ")


def test_convert_refuses_an_output_that_is_an_input(tmp_path: Path) -> None:
    """The API checks -o and --report against the inputs before writing, as the CLI does."""
    import shutil

    from exporter.errors import OptionsError

    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    shutil.copy(SAMPLE, a)
    shutil.copy(SAMPLE, b)
    before = a.read_bytes()
    with pytest.raises(OptionsError, match=r"a\.txt"):
        exporter.convert([a, b], formats=["epub"], output=a)
    with pytest.raises(OptionsError, match=r"a\.txt"):
        exporter.convert([a], formats=["pdf"], out_dir=tmp_path / "o", report=a)
    assert a.read_bytes() == before
