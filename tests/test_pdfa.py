"""PDF/A-2b and 3b output: validated with pikepdf.pdfa, and checked independently (pypdf, lxml)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pikepdf
import pikepdf.pdfa
import pytest
from lxml import etree
from pypdf import PdfReader

import exporter
from exporter.model import Document, Metadata, Paragraph, Title, plain
from exporter.model.serialize import loads
from exporter.reader import read_bytes
from exporter.writers._provenance import source_file
from exporter.writers.pdf.pdfa import associated_files
from tests.conftest import FIXTURES, REAL
from tests.helpers import assert_clean_error, run_cli

#: Inputs the reader refuses (not text, nothing in it): no PDF to make.
_NOT_TEXT = {"binary_png_renamed.txt", "empty.txt", "whitespace_only.txt"}
_FIXTURES = sorted(
    p
    for p in [
        *(FIXTURES / "real").glob("*.txt"),
        *(FIXTURES / "variants").glob("*.txt"),
        *(FIXTURES / "markdown").glob("*.m*"),
    ]
    if p.name not in _NOT_TEXT
)
_LARGE = {"novel_hongloumeng_full.txt"}  # a 2.5 MB novel: validating it takes seconds

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
}
EPOCH = 1700000000  # 2023-11-14T22:13:20Z
SAMPLE_BYTES = (REAL / "news_xinhua_poverty_symposium_2020.txt").read_bytes()


def _pdfa(path: Path, level: str, profile: str = "standard", epoch: int | None = None) -> bytes:
    data = path.read_bytes()
    errors = "replace" if "invalid" in path.name else "strict"
    doc = read_bytes(data, name=str(path), errors=errors).document
    options = exporter.write_options(profile, pdfa=level)
    if epoch is not None:
        from dataclasses import replace

        options = replace(options, source_date_epoch=epoch)
    with source_file(str(path), data):
        out = exporter.write(doc, "pdf", options=options)
    assert out is not None
    return out


def _validate(pdf: bytes, level: str) -> None:
    report = pikepdf.pdfa.validate_written(io.BytesIO(pdf), level)
    assert report.passed, "\n".join(str(f) for f in report.findings[:20])


@pytest.mark.parametrize("level", ["2b", "3b"])
@pytest.mark.parametrize(
    "path",
    [pytest.param(p, marks=pytest.mark.slow) if p.name in _LARGE else p for p in _FIXTURES],
    ids=lambda p: p.name,
)
def test_every_fixture_validates(path: Path, level: str) -> None:
    _validate(_pdfa(path, level), level)


@pytest.mark.parametrize("level", ["2b", "3b"])
@pytest.mark.parametrize(
    "name", ["gongwen_spp_notice_1997.txt", "gongwen_spc_amend27_civil_2020.txt"]
)
def test_gongwen_red_in_the_output_intent_space(name: str, level: str) -> None:
    """The red masthead and rule are DeviceRGB colours under the sRGB OutputIntent."""
    pdf = _pdfa(REAL / name, level, profile="gongwen")
    _validate(pdf, level)
    reader = PdfReader(io.BytesIO(pdf))
    ops = b"".join(page.get_contents().get_data() for page in reader.pages)
    # no CMYK, no separation or other colour space set: only rg/RG and g/G operators
    assert not re.search(rb"(?<![A-Za-z])(k|K|cs|CS|sc|SC|scn|SCN)\s", ops)
    intent = reader.trailer["/Root"]["/OutputIntents"][0].get_object()
    assert intent["/DestOutputProfile"].get_object()["/N"] == 3  # RGB


def _xmp(reader: PdfReader) -> etree._Element:
    raw = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    return etree.fromstring(raw)


def test_independent_structure_checks() -> None:
    """What PDF/A asks for, read with pypdf and lxml rather than the validator."""
    pdf = _pdfa(REAL / "news_xinhua_poverty_symposium_2020.txt", "2b", epoch=EPOCH)
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    # an OutputIntent with an embedded ICC profile
    intents = root["/OutputIntents"]
    assert len(intents) == 1
    intent = intents[0].get_object()
    assert intent["/S"] == "/GTS_PDFA1"
    icc = intent["/DestOutputProfile"].get_object().get_data()
    assert icc[36:40] == b"acsp" and icc[16:20] == b"RGB "
    # every font embedded, Helvetica nowhere
    for page in reader.pages:
        assert "/Trans" not in page
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert "Helvetica" not in str(font["/BaseFont"])
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            assert "/ToUnicode" in font
    # XMP matches the Info dictionary
    xmp = _xmp(reader)
    info = reader.metadata
    assert info is not None
    assert xmp.findtext(".//pdfaid:part", namespaces=NS) == "2"
    assert xmp.findtext(".//pdfaid:conformance", namespaces=NS) == "B"
    assert xmp.findtext(".//dc:title/rdf:Alt/rdf:li", namespaces=NS) == info["/Title"]
    assert xmp.findtext(".//xmp:CreatorTool", namespaces=NS) == info["/Creator"]
    assert xmp.findtext(".//pdf:Producer", namespaces=NS) == info["/Producer"]
    assert xmp.findtext(".//xmp:CreateDate", namespaces=NS) == "2023-11-14T22:13:20+00:00"
    assert info["/CreationDate"] == "D:20231114221320+00'00'"
    assert xmp.findtext(".//dc:language/rdf:Bag/rdf:li", namespaces=NS) == "zh-CN"
    assert xmp.findtext(".//dc:source", namespaces=NS) == "news_xinhua_poverty_symposium_2020.txt"
    # how it was made: version, options, source name and encoding
    tool = info["/Creator"]
    assert tool.startswith(f"exporter {exporter.__version__}")
    for part in (
        "profile=standard",
        "pdfa=2b",
        "source-encoding=UTF-8",
        f"source-date-epoch={EPOCH}",
    ):
        assert part in tool


def test_undated_document_has_no_dates() -> None:
    doc = Document(Metadata(title="无日期"), (Title(plain("无日期")), Paragraph(plain("正文。"))))
    pdf = exporter.write(doc, "pdf", options=exporter.write_options(pdfa="2b"))
    assert pdf is not None
    _validate(pdf, "2b")
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata is not None
    assert "/CreationDate" not in reader.metadata and "/ModDate" not in reader.metadata
    xmp = etree.tostring(_xmp(reader))
    assert b"CreateDate" not in xmp and b"ModifyDate" not in xmp and b"MetadataDate" not in xmp
    assert b"dc:date" not in xmp and b"<dc:source" not in xmp  # no source known through the API


def test_document_date_in_xmp() -> None:
    doc = Document(Metadata(title="有日期", date="2020-03-06"), (Paragraph(plain("正文。")),))
    pdf = exporter.write(doc, "pdf", options=exporter.write_options(pdfa="2b"))
    assert pdf is not None
    _validate(pdf, "2b")
    xmp = _xmp(PdfReader(io.BytesIO(pdf)))
    assert xmp.findtext(".//dc:date/rdf:Seq/rdf:li", namespaces=NS) == "2020-03-06"


@pytest.mark.parametrize("level", ["2b", "3b"])
def test_the_validator_rejects_a_plain_pdf(level: str) -> None:
    """Negative control: the same document as a plain PDF (no OutputIntent, no PDF/A XMP)
    fails the validator the other tests pass, so their passing means something."""
    doc = read_bytes(SAMPLE_BYTES, name="sample.txt").document
    plain = exporter.write(doc, "pdf", options=exporter.write_options("standard"))
    assert plain is not None
    report = pikepdf.pdfa.validate_written(io.BytesIO(plain), level)
    assert not report.passed
    assert any("OutputIntent" in f.message for f in report.findings)


def test_text_layer_equals_plain_pdf() -> None:
    """Level "u" is not machine-checked: the text layer must be the plain PDF's, glyph for glyph."""
    path = REAL / "poetry_tang300_trad.txt"
    doc = exporter.read_file(path)
    plain_pdf = exporter.write(doc, "pdf")
    assert plain_pdf is not None
    a = [p.extract_text() for p in PdfReader(io.BytesIO(plain_pdf)).pages]
    for level in ("2b", "3b"):
        archival = _pdfa(path, level)
        b = [p.extract_text() for p in PdfReader(io.BytesIO(archival)).pages]
        assert a == b


def test_3b_carries_source_and_model() -> None:
    path = FIXTURES / "variants" / "gbk_news_pd_panmunjom_2018.txt"
    pdf = _pdfa(path, "3b", epoch=EPOCH)
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    specs = [s.get_object() for s in root["/AF"]]
    by_relation = {str(s["/AFRelationship"]): s for s in specs}
    assert set(by_relation) == {"/Source", "/Data"}
    source = by_relation["/Source"]
    assert source["/UF"] == path.name
    stream = source["/EF"]["/F"].get_object()
    assert stream["/Subtype"] == "/text/plain"
    assert stream.get_data() == path.read_bytes()  # the GBK bytes as they were
    assert stream["/Params"]["/ModDate"] == "D:20231114221320+00'00'"
    data = by_relation["/Data"]["/EF"]["/F"].get_object()
    assert data["/Subtype"] == "/application/json"
    doc = read_bytes(path.read_bytes(), name=str(path)).document
    assert loads(data.get_data().decode("utf-8")) == doc
    # the files are in the EmbeddedFiles name tree too (pypdf reads them from there)
    assert set(reader.attachments) == {path.name, "document.json"}


def test_3b_without_epoch_has_no_file_dates() -> None:
    pdf = _pdfa(REAL / "poetry_caocao_three_poems.txt", "3b")
    for spec in PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/AF"]:
        params = spec.get_object()["/EF"]["/F"].get_object()["/Params"]
        assert "/ModDate" not in params and "/CreationDate" not in params


def test_2b_has_no_associated_files() -> None:
    pdf = _pdfa(REAL / "poetry_caocao_three_poems.txt", "2b")
    assert "/AF" not in PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert associated_files(pdf) == []


@pytest.mark.parametrize("level", ["2b", "3b"])
def test_byte_identical_with_source_date_epoch(tmp_path: Path, level: str) -> None:
    src = REAL / "news_pd_wangyi_visit_2019.txt"
    outs = []
    for n in range(2):
        out = tmp_path / f"{n}.pdf"
        proc = run_cli(
            "convert", str(src), "-t", "pdf", "--pdfa", level, "-o", str(out),
            env={"SOURCE_DATE_EPOCH": str(EPOCH)},
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    ids = PdfReader(io.BytesIO(outs[0])).trailer["/ID"]
    assert len(ids) == 2  # reportlab's invariant first ID, qpdf's content-derived second one


def test_cli_convert_and_extract(tmp_path: Path) -> None:
    src = tmp_path / "通知.md"
    src.write_bytes((REAL / "gongwen_spp_notice_1997.txt").read_bytes())
    proc = run_cli("convert", str(src), "-t", "pdf", "--pdfa", "3b", "-d", str(tmp_path / "o"))
    assert proc.returncode == 0, proc.stderr
    pdf = tmp_path / "o" / "通知.pdf"
    _validate(pdf.read_bytes(), "3b")
    proc = run_cli("extract", str(pdf), "-o", str(tmp_path / "x"))
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "x" / "通知.md").read_bytes() == src.read_bytes()
    model = json.loads((tmp_path / "x" / "document.json").read_text("utf-8"))
    assert model["schema"] == "exporter.document/2"
    lines = proc.stdout.decode().splitlines()
    assert any(line.startswith("Source\ttext/markdown\t") for line in lines)


def test_extract_from_plain_pdf_is_a_clear_error(tmp_path: Path) -> None:
    pdf = tmp_path / "a.pdf"
    run_cli("convert", str(REAL / "poetry_caocao_three_poems.txt"), "-t", "pdf", "-o", str(pdf))
    proc = run_cli("extract", str(pdf), "-o", str(tmp_path / "x"))
    assert_clean_error(proc, 1, "no associated files")
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf")
    assert_clean_error(run_cli("extract", str(junk)), 2, "not a readable PDF")


def test_bad_level_is_a_usage_error(tmp_path: Path) -> None:
    proc = run_cli("convert", str(REAL / "poetry_caocao_three_poems.txt"), "--pdfa", "1b")
    assert_clean_error(proc, 2, "pdfa (--pdfa) must be 2b or 3b")
    (tmp_path / "exporter.toml").write_text('pdfa = "3u"\n', "utf-8")
    proc = run_cli("convert", str(REAL / "poetry_caocao_three_poems.txt"), cwd=tmp_path)
    assert_clean_error(proc, 2, "must be 2b or 3b")


def test_config_key_and_api(tmp_path: Path) -> None:
    (tmp_path / "exporter.toml").write_text('pdfa = "2b"\nformats = ["pdf"]\n', "utf-8")
    src = REAL / "poetry_caocao_three_poems.txt"
    proc = run_cli("convert", str(src), "-d", "out", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    _validate((tmp_path / "out" / "poetry_caocao_three_poems.pdf").read_bytes(), "2b")
    report = exporter.convert([src], formats="pdf", pdfa="3b", out_dir=tmp_path / "api")
    assert report.exit_code == 0
    pdf = (tmp_path / "api" / "poetry_caocao_three_poems.pdf").read_bytes()
    _validate(pdf, "3b")
    assert [f.relationship for f in associated_files(pdf)] == ["Data", "Source"]


@pytest.mark.parametrize("level", ["2b", "3b"])
def test_save_settings_are_the_validators(level: str) -> None:
    """The writer saves with the settings pikepdf.pdfa pins (it does not import the validator)."""
    from exporter.writers.pdf.pdfa import _SAVE

    pinned = pikepdf.pdfa.resolve_save_kwargs(level, deterministic_id=True)
    assert {k: pinned[k] for k in _SAVE} == _SAVE
    assert pinned["object_stream_mode"] == pikepdf.ObjectStreamMode.generate
    assert pinned["stream_decode_level"] == pikepdf.StreamDecodeLevel.generalized
