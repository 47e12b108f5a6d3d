"""``--reference-docx``: a house template's styles, page setup, headers and theme kept, exporter's
body filling it by style name; ``exporter template docx``; refusals of non-DOCX references."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import SAMPLE, all_blocks_document
from docx.shared import Mm, RGBColor
from helpers import assert_clean_error, run_cli
from lxml import etree

from exporter import api
from exporter.model import Document, block_texts
from exporter.options import WriteOptions
from exporter.writers.docx import DocxWriter

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def write(doc: Document, options: WriteOptions) -> bytes:
    buf = io.BytesIO()
    DocxWriter().write(doc, options, buf)
    return buf.getvalue()


def _zip_replace(path: Path, name: str, edit: object) -> None:
    """Rewrite one entry of a zip (``edit``: bytes -> bytes)."""
    with zipfile.ZipFile(path) as zf:
        entries = [(i, zf.read(i)) for i in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in entries:
            zf.writestr(info, edit(data) if info.filename == name else data)  # type: ignore[operator]


def house_template(path: Path) -> Path:
    """A unit's template as Chinese Word saves one: a red masthead in the header, its own
    margins, a red 方正小标宋简体 Title and a 仿宋_GB2312 body, and localized style ids (Word's
    zh-CN styles are named "heading 1" but have ids like "1"; Title is "a3")."""
    ref = docx.Document()
    section = ref.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(30)
    section.top_margin = Mm(40)
    section.header.paragraphs[0].text = "某某市人民政府办公室文件"
    title = ref.styles["Title"]
    title.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    # Choosing a font in Word sets w:eastAsia and drops the theme font that would supersede it.
    title_fonts = title.element.get_or_add_rPr().get_or_add_rFonts()
    title_fonts.attrib.pop(f"{{{W}}}eastAsiaTheme", None)
    title_fonts.set(f"{{{W}}}eastAsia", "方正小标宋简体")
    ref.styles["Normal"].element.get_or_add_rPr().get_or_add_rFonts().set(
        f"{{{W}}}eastAsia", "仿宋_GB2312"
    )
    ref.add_paragraph("模板自带的正文，应被替换。", style="Normal")
    # A Chinese Word's theme font language: the headings' theme font is the theme's Hans face.
    lang = ref.settings.element.find(f"{{{W}}}themeFontLang")
    lang.set(f"{{{W}}}eastAsia", "zh-CN")
    ref.save(path)

    def localize(data: bytes) -> bytes:
        text = data.decode("utf-8")
        for old, new in (("Heading1", "1"), ("Heading2", "2"), ("Title", "a3")):
            text = re.sub(f'(<w:(?:basedOn|next|link) w:val=)"{old}"', f'\\1"{new}"', text)
            text = text.replace(f'w:styleId="{old}"', f'w:styleId="{new}"')
        return text.encode("utf-8")

    _zip_replace(path, "word/styles.xml", localize)
    return path


@pytest.fixture
def house(tmp_path: Path) -> Path:
    return house_template(tmp_path / "house.docx")


def test_reference_keeps_template_page_header_and_styles_by_name(house: Path) -> None:
    doc = all_blocks_document()
    data = write(doc, WriteOptions(reference_docx=str(house)))
    out = docx.Document(io.BytesIO(data))
    section = out.sections[0]
    assert (round(section.left_margin.mm), round(section.top_margin.mm)) == (30, 40)
    assert section.header.paragraphs[0].text == "某某市人民政府办公室文件"
    paras = out.paragraphs
    assert "模板自带的正文，应被替换。" not in [p.text for p in paras]
    title = next(p for p in paras if p.style.name == "Title")
    assert title.style.style_id == "a3"  # the template's own Title, found by name
    assert title.style.font.color.rgb == RGBColor(0xC0, 0x00, 0x00)
    headings = [p for p in paras if p.style.name == "Heading 1"]  # python-docx's UI name
    assert headings and {p.style.style_id for p in headings} == {"1"}
    # exporter's own styles the template lacks are added from the default template.
    names = {p.style.name for p in paras}
    assert {"Byline", "Document Number", "Signature"} <= names
    body = out.element.body
    assert body.sectPr is not None and body[-1] is body.sectPr
    # Nothing lost: every block's text is in the body, in order.
    text = "\n".join(
        "".join(t.text or "" for t in p.iter(f"{{{W}}}t")) for p in body.iter(f"{{{W}}}p")
    )
    pos = 0
    for block in doc.blocks:
        for piece in block_texts(block):
            for line in piece.split("\n"):
                if not line.strip() or "注释内容" in line:
                    continue
                found = text.find(line.strip()[:8], pos)
                assert found >= 0, line
                pos = found


def test_reference_output_is_deterministic_and_names_no_tool_or_time(
    house: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    options = WriteOptions(reference_docx=str(house))
    first = write(all_blocks_document(), options)
    assert write(all_blocks_document(), options) == first
    with zipfile.ZipFile(io.BytesIO(first)) as zf:
        for info in zf.infolist():
            assert info.date_time == (1980, 1, 1, 0, 0, 0), info.filename
            assert b"python-docx" not in zf.read(info), info.filename
    props = docx.Document(io.BytesIO(first)).core_properties
    assert props.title == "关于做好示范文档工作的通知"
    assert props.author == "示范办公室"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    pinned = write(all_blocks_document(), options)
    assert pinned == write(all_blocks_document(), options)
    with zipfile.ZipFile(io.BytesIO(pinned)) as zf:
        assert {i.date_time for i in zf.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_reference_embeds_fonts_under_the_templates_family_names(house: Path) -> None:
    data = write(all_blocks_document(), WriteOptions(reference_docx=str(house)))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        table = etree.fromstring(zf.read("word/fontTable.xml"))
        settings = etree.fromstring(zf.read("word/settings.xml"))
        fonts = [n for n in zf.namelist() if n.endswith(".odttf")]
    embedded = {
        f.get(f"{{{W}}}name")
        for f in table.iterfind("w:font", NS)
        if f.find("w:embedRegular", NS) is not None or f.find("w:embedBold", NS) is not None
    }
    # Normal's 仿宋_GB2312, Title's 方正小标宋简体, and the headings' theme font (python-docx's
    # theme names 宋体 for Hans), each as the template's styles name it.
    assert {"仿宋_GB2312", "方正小标宋简体", "宋体"} <= embedded
    assert fonts
    assert settings.find("w:embedTrueTypeFonts", NS) is not None
    assert settings.find("w:saveSubsetFonts", NS) is not None


def test_template_command_writes_the_default_and_it_round_trips(tmp_path: Path) -> None:
    ref = tmp_path / "ref.docx"
    proc = run_cli("template", "docx", "-o", str(ref))
    assert proc.returncode == 0, proc.stderr
    again = tmp_path / "again.docx"
    assert run_cli("template", "docx", "-o", str(again)).returncode == 0
    assert ref.read_bytes() == again.read_bytes()
    styles = {p.style.name for p in docx.Document(str(ref)).paragraphs}
    assert {"Title", "Heading 1", "Heading 4", "Normal", "Byline", "Verse"} <= styles
    # A clerk restyles the title and the page, and converts with it.
    template = docx.Document(str(ref))
    template.styles["Title"].font.color.rgb = RGBColor(0x00, 0x00, 0xC0)
    template.sections[0].left_margin = Mm(35)
    template.save(str(ref))
    out = tmp_path / "out.docx"
    proc = run_cli(
        "convert", str(SAMPLE), "-t", "docx", "-o", str(out), "--reference-docx", str(ref)
    )
    assert proc.returncode == 0, proc.stderr
    result = docx.Document(str(out))
    assert round(result.sections[0].left_margin.mm) == 35
    title = next(p for p in result.paragraphs if p.style.name == "Title")
    assert title.style.font.color.rgb == RGBColor(0x00, 0x00, 0xC0)


def test_reference_from_config_and_api(tmp_path: Path, house: Path) -> None:
    options = api.write_options(reference_docx=house)
    assert options.reference_docx == str(house)
    (tmp_path / "exporter.toml").write_text(f'reference_docx = "{house}"\n', "utf-8")
    src = tmp_path / "a.txt"
    src.write_text("关于测试的通知\n\n正文一段。\n", "utf-8")
    proc = run_cli("convert", "a.txt", "-t", "docx", "-o", "a.docx", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = docx.Document(str(tmp_path / "a.docx"))
    assert out.sections[0].header.paragraphs[0].text == "某某市人民政府办公室文件"


@pytest.mark.parametrize(
    ("kind", "needle"),
    [
        ("text", "not a DOCX"),
        ("encrypted", "encrypted"),
        ("docm", "macros"),
        ("missing", "cannot read"),
    ],
)
def test_bad_reference_is_refused_with_one_line(tmp_path: Path, kind: str, needle: str) -> None:
    ref = tmp_path / "ref.docx"
    if kind == "text":
        ref.write_text("这不是 Word 文档", "utf-8")
    elif kind == "encrypted":
        # An encrypted OOXML file is a compound file holding an EncryptionInfo stream.
        cfb = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
        ref.write_bytes(cfb + "EncryptionInfo".encode("utf-16-le") + b"\0" * 64)
    elif kind == "docm":
        ref = tmp_path / "ref.docm"
        docx.Document().save(str(ref))

        def macro(data: bytes) -> bytes:
            return data.replace(
                b"wordprocessingml.document.main+xml",
                b"ms-word.document.macroEnabled.main+xml",
            )

        _zip_replace(ref, "[Content_Types].xml", macro)
    src = tmp_path / "a.txt"
    src.write_text("正文。\n", "utf-8")
    ref_arg = str(ref) if kind != "missing" else str(tmp_path / "nowhere.docx")
    proc = run_cli(
        "convert",
        str(src),
        "-t",
        "docx",
        "-o",
        str(tmp_path / "a.docx"),
        "--reference-docx",
        ref_arg,
    )
    assert_clean_error(proc, 1, needle)
    lines = [x for x in proc.stderr.decode().splitlines() if needle in x]
    assert len(lines) == 1
    assert not (tmp_path / "a.docx").exists()


@pytest.mark.soffice
def test_libreoffice_draws_the_reference_output_with_embedded_faces(
    tmp_path: Path, house: Path
) -> None:
    import os
    import shutil
    import subprocess

    import pdfplumber
    from test_docx_fonts import _latin_only_fonts_conf

    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.skip("LibreOffice (soffice) is not installed: DOCX render check not run")
    (tmp_path / "out.docx").write_bytes(
        write(all_blocks_document(), WriteOptions(reference_docx=str(house)))
    )
    conf = _latin_only_fonts_conf(tmp_path)
    subprocess.run(
        [exe, f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--headless", "--convert-to",
         "pdf", "--outdir", str(tmp_path), str(tmp_path / "out.docx")],
        check=True, capture_output=True, timeout=180,
        env={**os.environ, "FONTCONFIG_FILE": str(conf)},
    )  # fmt: skip
    with pdfplumber.open(tmp_path / "out.pdf") as pdf:
        page = pdf.pages[0]
        text = page.extract_text() or ""
        han = [c for c in page.chars if "\u4e00" <= c["text"] <= "\u9fff"]
    assert "某某市人民政府办公室文件" in text.replace(" ", "")  # the template's header
    assert "关于做好示范文档工作的通知" in text.replace(" ", "")
    # Every Han character from an embedded face, none from the Latin-only system fonts.
    embedded = ("NotoSerifCJKsc", "NotoSansCJKsc", "LXGWWenKai", "ZhuqueFangsong")
    assert han and not [
        c for c in han if not str(c["fontname"]).split("+")[-1].startswith(embedded)
    ]


def test_a_restyled_reference_changes_the_options_fingerprint(tmp_path: Path, house: Path) -> None:
    """Incremental builds rebuild DOCX outputs when the reference file changes."""
    import os

    before = WriteOptions(reference_docx=str(house)).fingerprint()
    assert before != WriteOptions().fingerprint()
    stat = house.stat()
    os.utime(house, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert WriteOptions(reference_docx=str(house)).fingerprint() != before


def test_gongwen_template_has_the_gongwen_page(tmp_path: Path) -> None:
    out = tmp_path / "gw.docx"
    proc = run_cli("template", "docx", "-p", "gongwen", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    section = docx.Document(str(out)).sections[0]
    assert (round(section.left_margin.mm), round(section.top_margin.mm)) == (28, 37)
    assert_clean_error(run_cli("template", "docx", "-p", "nope", "-o", str(out)), 2, "nope")


def test_reference_carries_pictures_notes_and_links(house: Path) -> None:
    """Pictures (in the body and in a note), footnotes and web links reach the template's
    package: every r:id in the body and notes resolves to a part or an external target."""
    from test_docx import _image_document

    from exporter.model import Link, Paragraph, Text

    base = _image_document()
    link = Paragraph((Link("https://www.gov.cn/", (Text("中国政府网"),)),))
    doc = Document(base.meta, (*base.blocks, link), base.resources)
    data = write(doc, WriteOptions(reference_docx=str(house), embed_fonts=False))
    out = docx.Document(io.BytesIO(data))
    main = out.part
    r_id = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    for part, root in ((main, main.element),):
        for el in root.iter():
            for key in (f"{r_id}id", f"{r_id}embed"):
                rid = el.get(key)
                if rid:
                    assert rid in part.rels, rid
    images = [r.target_part.blob for r in main.rels.values() if r.reltype.endswith("/image")]
    assert len(images) == 3  # small, wide, photo: each once
    links = [r.target_ref for r in main.rels.values() if r.reltype.endswith("/hyperlink")]
    assert links == ["https://www.gov.cn/"]
    notes = next(r.target_part for r in main.rels.values() if r.reltype.endswith("/footnotes"))
    note_xml = etree.fromstring(notes.blob)
    embeds = [el.get(f"{r_id}embed") for el in note_xml.iter() if el.get(f"{r_id}embed")]
    assert embeds  # the picture inside the note
    for rid in embeds:
        assert notes.rels[rid].target_part.blob.startswith(b"\x89PNG")


def test_reference_output_embeds_the_head_and_colophon_characters(tmp_path: Path) -> None:
    """The 版头 and 版记 runs name their faces on the run (w:rFonts): the subsets embedded
    through a reference hold their characters, each in the face that sets it."""
    from conftest import FIXTURES
    from test_docx_fonts import embedded

    from exporter.reader import read_path

    ref = tmp_path / "ref.docx"
    assert run_cli("template", "docx", "-o", str(ref), "-p", "gongwen").returncode == 0
    doc = read_path(FIXTURES / "official" / "full_notice.txt").document
    data = write(doc, api.write_options("gongwen", reference_docx=ref))
    fonts = embedded(data)
    cmap = {name: set(map(chr, f.getBestCmap())) for (name, _), f in fonts.items()}
    assert set("某某市人民政府文件") <= cmap["方正小标宋简体"]  # the masthead (§7.2.4)
    assert set("机密特急") <= cmap["黑体"]  # 密级, 紧急程度 (§7.2.2, §7.2.3)
    assert set("抄送印发办公室") <= cmap["仿宋"]  # the 版记 (§7.4)
