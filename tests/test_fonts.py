"""Fonts: bundled faces, user fonts (TTF, TTC index, CFF, folder), coverage, fallback, subsets."""

from __future__ import annotations

import importlib.util
import io
import itertools
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import SAMPLE, VARIANTS
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont
from helpers import run_cli
from pypdf import PdfReader

from exporter import diagnostics, fonts
from exporter.cli.fonts import fonts_command
from exporter.errors import FontError
from exporter.fonts import fontset as fontset_module
from exporter.model import Document, Metadata, Paragraph, block_texts, plain
from exporter.options import GONGWEN, WriteOptions
from exporter.reader import read_file
from exporter.writers.pdf import PdfWriter

EMOJI = VARIANTS / "emoji_cjk_ext_b_news.txt"
REPO = Path(__file__).resolve().parents[1]


def _box(pen: object, width: int) -> None:
    pen.moveTo((50, 0))  # type: ignore[attr-defined]
    pen.lineTo((50, 700))  # type: ignore[attr-defined]
    pen.lineTo((width - 50, 700))  # type: ignore[attr-defined]
    pen.lineTo((width - 50, 0))  # type: ignore[attr-defined]
    pen.closePath()  # type: ignore[attr-defined]


def make_font(path: Path, chars: str, family: str, *, cff: bool = False, vert: str = "") -> Path:
    """A small font whose every glyph is a box, mapping ``chars`` (CFF or TrueType outlines).

    Each character of ``vert`` gets a vertical form through a GSUB ``vert`` feature.
    """
    names = [".notdef"] + [f"u{ord(c):04X}" for c in chars] + [f"v{ord(c):04X}" for c in vert]
    fb = FontBuilder(1000, isTTF=not cff)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({ord(c): f"u{ord(c):04X}" for c in chars})
    if cff:
        charstrings = {}
        for name in names:
            pen = T2CharStringPen(1000, None)
            _box(pen, 1000)
            charstrings[name] = pen.getCharString()
        fb.setupCFF(family.replace(" ", ""), {"FullName": family}, charstrings, {})
    else:
        glyphs = {}
        for name in names:
            pen = TTGlyphPen(None)
            _box(pen, 1000)
            glyphs[name] = pen.glyph()
        fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics({name: (1000, 50) for name in names})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable(
        {"familyName": family, "styleName": "Regular", "psName": family.replace(" ", "")}
    )
    fb.setupOS2(sTypoAscender=880, usWinAscent=880, usWinDescent=120)
    fb.setupPost()
    if vert:
        rules = " ".join(f"sub u{ord(c):04X} by v{ord(c):04X};" for c in vert)
        fb.addOpenTypeFeatures(f"feature vert {{ {rules} }} vert;")
    fb.save(str(path))
    return path


def pdf_of(text: str, options: WriteOptions) -> PdfReader:
    """A PDF of one paragraph, written by the PDF writer."""
    buf = io.BytesIO()
    PdfWriter().write(Document(Metadata(title="t"), (Paragraph(plain(text)),)), options, buf)
    return PdfReader(io.BytesIO(buf.getvalue()))


def first_line(pdf: PdfReader) -> str:
    """The first line of the text layer (pypdf reads the Han/Latin gap as a space: dropped)."""
    return str(pdf.pages[0].extract_text()).split("\n")[0].replace(" ", "")


def embedded(pdf: PdfReader) -> dict[str, TTFont]:
    """The embedded font programs of page 1 by PostScript name (subset tag dropped)."""
    found = {}
    for ref in pdf.pages[0]["/Resources"]["/Font"].values():
        font = ref.get_object()
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        data = descriptor["/FontFile2"].get_object().get_data()
        found[str(font["/BaseFont"]).partition("+")[2]] = TTFont(io.BytesIO(data))
    return found


def joined(fontset: fonts.FontSet, text: str, role: str = "body") -> str:
    return "".join(run for _, run in fontset.runs(text, role))


# -- bundled fonts ------------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(fonts.BUNDLED))
def test_bundled_face_is_truetype_with_gbk_and_licence(key: str) -> None:
    file = fonts.bundled_file(key)
    tt = TTFont(str(file.path), lazy=True)
    assert "glyf" in tt and "CFF " not in tt
    face = fonts.Face(file, key)
    gbk = fonts.charset("gbk")
    gb2312 = fonts.charset("gb2312")
    assert (file.path.parent / fonts.BUNDLED[key].licence_file).is_file()
    if key == "mono":
        # Code's Latin face: printable ASCII, every glyph the same advance; no hanzi (Han text
        # in code takes the body face).
        assert face.monospaced and set(range(0x20, 0x7F)) <= face.codepoints
        assert not any(0x4E00 <= c <= 0x9FFF for c in face.codepoints)
        return
    if key == "fangsong":
        # Zhuque Fangsong has every GB 2312 hanzi (6,763) but not its symbol rows (①, ℃, Ⅻ):
        # those fall back to the Song face, which has the whole of GB 2312.
        hanzi = {c for c in gb2312 if 0x4E00 <= c <= 0x9FFF}
        assert len(hanzi) == 6763 and hanzi <= face.codepoints
        song = fonts.Face(fonts.bundled_file("song"), "song")
        assert gb2312 - face.codepoints <= song.codepoints
        assert len(gb2312 - face.codepoints) > 0  # the reason the fallback is needed
        return
    # Noto CJK SC lacks only U+2252 of GBK; LXGW WenKai lacks 8 vertical presentation forms.
    assert len(gbk - face.codepoints) <= 8
    assert gb2312 <= face.codepoints


def test_bundle_under_55_mb() -> None:
    # Noto Serif Regular + Bold, Noto Sans, LXGW WenKai (~41 MB) and Zhuque Fangsong (~12 MB).
    total = sum(fonts.bundled_file(key).path.stat().st_size for key in fonts.BUNDLED)
    assert total < 55_000_000


def test_fallback_face_beyond_the_bmp_is_drawn_with_its_text_layer() -> None:
    # U+20BB7 is in LXGW WenKai only: the body (Noto Serif) falls back to it.
    fontset = fonts.fontset_for(WriteOptions(system_fonts=False))
    assert not fontset.face("body").has("𠮷") and fontset.face("heading2").has("𠮷")
    pdf = pdf_of("𠮷野家", WriteOptions(system_fonts=False))
    assert first_line(pdf) == "𠮷野家"
    kai = embedded(pdf)["LXGWWenKai-Regular"]
    assert 0x20BB7 in kai.getBestCmap()


# -- coverage and fallback ----------------------------------------------------------------------


def test_emoji_and_ext_b_are_reported_not_dropped() -> None:
    doc = read_file(EMOJI)
    source = EMOJI.read_text(encoding="utf-8")
    fontset = fonts.fontset_for(WriteOptions(system_fonts=False))
    for block in doc.blocks:
        for text in block_texts(block):
            assert joined(fontset, text, fonts.role_of(block)) == text
    missing = {str(u) for u in fonts.check_document(doc, fontset, source)}
    line = next(n for n, ln in enumerate(source.splitlines(), 1) if "𠀀" in ln)
    assert f"U+20000 𠀀 at line {line}" in missing
    assert any(u.startswith("U+1F44D 👍") for u in missing)
    # Covered by a bundled fallback face (LXGW WenKai), so not reported.
    assert not any(u.startswith("U+20BB7") for u in missing)
    assert fontset.runs("𠮷", "body")[0][0] is fontset.face("heading2")
    # Variation selectors and joiners are never reported on their own.
    assert not any(u.startswith(("U+FE0F", "U+200D", "U+E0100")) for u in missing)


def test_report_uncovered_warns_once_and_strict_raises() -> None:
    doc = Document(Metadata(title="t"), (Paragraph(plain("甲𠀀乙𠀀丙")),))
    with diagnostics.collect() as sink:
        found = fonts.report_uncovered(doc, WriteOptions(system_fonts=False))
    assert [u.char for u in found] == ["𠀀"] and found[0].count == 2
    assert [d.code for d in sink] == ["uncovered-chars"]
    assert "U+20000 𠀀" in sink[0].message
    with pytest.raises(FontError, match="U\\+20000"):
        fonts.report_uncovered(doc, WriteOptions(system_fonts=False, strict=True))


def test_system_fonts_extend_the_chain_when_fontconfig_is_present() -> None:
    if not fonts.system_faces():
        pytest.skip("no fontconfig fonts on this machine")
    # U+05E7 (Hebrew) is in none of the bundled faces.
    ch = "ק"
    off = fonts.fontset_for(WriteOptions(system_fonts=False))
    assert off.fallback_for(ord(ch)) is None
    on = fonts.fontset_for(WriteOptions(system_fonts=True))
    face = on.fallback_for(ord(ch))
    if face is None:
        pytest.skip("no system font covers U+05E7")
    assert face.has(ch) and not face.bundled_key
    with diagnostics.collect():
        assert first_line(pdf_of(f"文{ch}", WriteOptions(system_fonts=True))) == f"文{ch}"


# -- user fonts -----------------------------------------------------------------------------------


def test_user_ttf_for_a_role_with_fallback_to_bundled(tmp_path: Path) -> None:
    path = make_font(tmp_path / "mine.ttf", "测试AB", "Mine Test")
    fontset = fonts.fontset_for(WriteOptions(fonts={"body": str(path)}, system_fonts=False))
    face = fontset.face("body")
    assert face.file.path == path and face.family == "Mine Test"
    runs = fontset.runs("测试中文AB", "body")
    assert [(f is face, t) for f, t in runs] == [(True, "测试"), (False, "中文"), (True, "AB")]
    assert runs[1][0] is fontset.face("title") or runs[1][0].bundled_key
    pdf = pdf_of("测试中文AB", WriteOptions(fonts={"body": str(path)}, system_fonts=False))
    assert first_line(pdf) == "测试中文AB"
    assert set(embedded(pdf)["MineTest"].getBestCmap()) == {ord(c) for c in "测试AB"}


def test_gongwen_body_font_also_sets_fangsong_headings(tmp_path: Path) -> None:
    path = make_font(tmp_path / "fangsong.ttf", "仿宋体", "My FangSong")
    fontset = fonts.fontset_for(WriteOptions(profile=GONGWEN, fonts={"body": str(path)}))
    for role in ("body", "heading3", "heading4"):
        assert fontset.face(role).file.path == path
    assert fontset.face("heading1").bundled_key == "hei"


def test_gongwen_substitution_said_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(fontset_module, "_warned_substitutions", set())
    with diagnostics.collect() as sink:
        fonts.FontSet(WriteOptions(profile=GONGWEN))
        fonts.FontSet(WriteOptions(profile=GONGWEN, strict=True))
    # FangSong is bundled (Zhuque Fangsong): only the title's 小标宋 has a stand-in.
    assert sorted(d.data["role"] for d in sink if d.code == "font-substitution") == ["title"]
    monkeypatch.setattr(fontset_module, "_warned_substitutions", set())
    path = make_font(tmp_path / "fs.ttf", "仿宋", "FS")
    with diagnostics.collect() as sink:
        fonts.FontSet(WriteOptions(profile=GONGWEN, fonts={"body": str(path)}))
    assert [d.data["role"] for d in sink] == ["title"]


def test_ttc_face_index(tmp_path: Path) -> None:
    first = make_font(tmp_path / "a.ttf", "甲", "Face Zero")
    second = make_font(tmp_path / "b.ttf", "乙", "Face One")
    collection = TTCollection()
    collection.fonts = [TTFont(str(first)), TTFont(str(second))]
    ttc = tmp_path / "pair.ttc"
    collection.save(str(ttc))
    fontset = fonts.fontset_for(WriteOptions(fonts={"body": f"{ttc}#1"}, system_fonts=False))
    face = fontset.face("body")
    assert face.family == "Face One" and face.has("乙") and not face.has("甲")
    pdf = pdf_of("乙", WriteOptions(fonts={"body": f"{ttc}#1"}, system_fonts=False))
    assert first_line(pdf) == "乙" and "FaceOne" in embedded(pdf)
    with pytest.raises(FontError, match="holds 2 face"):
        fonts.FontSet(WriteOptions(fonts={"body": f"{ttc}#5"}))


@pytest.mark.parametrize("cff", [False, True], ids=["truetype", "cff"])
def test_pdf_embeds_truetype_subsets_without_layout_tables(tmp_path: Path, cff: bool) -> None:
    path = make_font(tmp_path / "f.otf", "公文仿宋。AB", "Cff Test", cff=cff, vert="。")
    assert "GSUB" in TTFont(str(path))
    options = WriteOptions(fonts={"body": str(path)}, system_fonts=False)
    assert fonts.FontSet(options).face("body").cff is cff
    pdf = pdf_of("公文仿宋。", options)
    assert first_line(pdf) == "公文仿宋。"
    tt = embedded(pdf)["CffTest"]
    assert "glyf" in tt and "CFF " not in tt and "GSUB" not in tt
    assert set(tt.getBestCmap()) == {ord(c) for c in "公文仿宋。"}
    assert len(tt.getGlyphOrder()) == 6  # .notdef and the five: no vertical form


def test_cff_fallback_font_is_embedded_for_the_characters_it_draws(tmp_path: Path) -> None:
    # U+E000 (private use) is in no bundled face.
    path = make_font(tmp_path / "pua.otf", "\ue000\ue001", "Pua Test", cff=True)
    options = WriteOptions(fallback_fonts=(str(path),), system_fonts=False)
    runs = fonts.FontSet(options).runs("文\ue000字", "body")
    face = runs[1][0]
    assert face is not None and face.file.path == path and face.cff
    pdf = pdf_of("文\ue000字", options)
    assert first_line(pdf) == "文\ue000字"
    tt = embedded(pdf)["PuaTest"]
    assert "glyf" in tt and set(tt.getBestCmap()) == {0xE000}


def test_font_folder_picks_the_face_with_most_cjk(tmp_path: Path) -> None:
    make_font(tmp_path / "a_latin.ttf", "ABC", "Latin Only")
    make_font(tmp_path / "b_cjk.ttf", "中文字体", "Cjk Face")
    (tmp_path / "notes.txt").write_text("not a font")
    fontset = fonts.FontSet(WriteOptions(fonts={"body": str(tmp_path)}, system_fonts=False))
    assert fontset.face("body").family == "Cjk Face"


# -- font folders: the face for the language, the role's weight, upright -------------------------

SC_CHARS, TC_CHARS = "们这国说对时会门", "們這國說對時會門"
COMMON = "中文字体AB"


def styled_font(
    path: Path,
    chars: str,
    family: str,
    *,
    weight: int = 400,
    italic: bool = False,
    code_pages: int = 0,
    localized: dict[int, str] | None = None,
) -> Path:
    """:func:`make_font` with a weight, slant, OS/2 code pages and localized family names."""
    path.parent.mkdir(parents=True, exist_ok=True)
    make_font(path, chars, family)
    tt = TTFont(str(path))
    os2 = tt["OS/2"]
    os2.usWeightClass = weight
    os2.fsSelection = 0x01 if italic else 0x40
    tt["head"].macStyle = (2 if italic else 0) | (1 if weight >= 700 else 0)
    os2.ulCodePageRange1 = code_pages
    os2.ulCodePageRange2 = 0
    for lang_id, name in (localized or {}).items():
        tt["name"].setName(name, 1, 3, 1, lang_id)
    tt.save(str(path))
    return path


def folder_face(folder: Path, language: str = "zh-CN", role: str = "body") -> fonts.Face:
    options = WriteOptions(fonts={role: str(folder)}, system_fonts=False)
    return fonts.FontSet(options, language).face(role)


@pytest.mark.parametrize(
    "evidence", ["cmap", "family name", "file name", "code pages", "localized name"]
)
def test_folder_face_is_chosen_by_language(tmp_path: Path, evidence: str) -> None:
    # Each pair differs in one kind of evidence only; the TC face sorts first, so a choice that
    # ignored the language would take it for zh-CN.
    both = COMMON + SC_CHARS + TC_CHARS
    variants: dict[str, dict[str, object]] = {
        "cmap": {"SC": {"chars": COMMON + SC_CHARS}, "TC": {"chars": COMMON + TC_CHARS}},
        "family name": {"SC": {"family": "Serif SC"}, "TC": {"family": "Serif TC"}},
        "file name": {"SC": {"file": "serif-sc.ttf"}, "TC": {"file": "serif-hant.ttf"}},
        "code pages": {"SC": {"code_pages": 1 << 18}, "TC": {"code_pages": 1 << 20}},
        "localized name": {
            "SC": {"localized": {0x0804: "宋体"}},
            "TC": {"localized": {0x0404: "宋體"}},
        },
    }[evidence]
    made = {}
    for n, variant in enumerate(("TC", "SC")):
        spec = variants[variant]
        file = str(spec.get("file", f"{n}.ttf"))
        made[variant] = styled_font(
            tmp_path / file,
            str(spec.get("chars", both)),
            str(spec.get("family", f"Face {n}")),
            code_pages=int(spec.get("code_pages", 0)),  # type: ignore[call-overload]
            localized=spec.get("localized"),  # type: ignore[arg-type]
        )
    assert folder_face(tmp_path, "zh-CN").file.path == made["SC"]
    assert folder_face(tmp_path, "zh-Hans-TW").file.path == made["SC"]
    for tag in ("zh-TW", "zh-HK", "zh-Hant"):
        assert folder_face(tmp_path, tag).file.path == made["TC"], tag


def test_subsets_of_one_face_are_told_apart_by_their_characters(tmp_path: Path) -> None:
    # Subsets of the bundled Noto Serif CJK SC: both keep its SC names, only one maps 們這國
    # and only the other 们这国.
    song = fonts.Face(fonts.bundled_file("song"), "song")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "one.ttf").write_bytes(song.subset(COMMON + TC_CHARS))
    (tmp_path / "b" / "two.ttf").write_bytes(song.subset(COMMON + SC_CHARS))
    assert folder_face(tmp_path, "zh-CN").file.path.name == "two.ttf"
    assert folder_face(tmp_path, "zh-TW").file.path.name == "one.ttf"


def test_a_folder_face_without_cjk_is_the_last_choice_except_for_latin(tmp_path: Path) -> None:
    # "SC" in a Latin family is small capitals; bold, to tell the latin role's choice apart.
    styled_font(tmp_path / "a.ttf", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "Caslon SC")
    styled_font(tmp_path / "b.ttf", "abc123" + COMMON, "Plain Song", weight=700)
    options = WriteOptions(fonts={"body": str(tmp_path), "latin": str(tmp_path)})
    fontset = fonts.FontSet(options)
    assert fontset.face("body").family == "Plain Song"
    assert fontset.face("latin").family == "Caslon SC"
    assert "Latin 26/62, weight 400, upright" in fontset.choices["latin"].reason()


def test_folder_face_has_the_role_weight_and_is_upright(tmp_path: Path) -> None:
    chars = COMMON + SC_CHARS
    # Named so that the sorted walk meets the wrong faces first.
    styled_font(tmp_path / "1-bold" / "f.ttf", chars, "Song Bold", weight=700)
    styled_font(tmp_path / "2-italic" / "f.ttf", chars, "Song Italic", italic=True)
    styled_font(tmp_path / "3-light" / "f.ttf", chars, "Song Light", weight=300)
    styled_font(tmp_path / "4-black" / "f.ttf", chars, "Song Black", weight=900)
    styled_font(tmp_path / "5-regular" / "f.ttf", chars, "Song Regular")
    styled_font(
        tmp_path / "6-bold-italic" / "f.ttf", chars, "Song Bold Italic", weight=700, italic=True
    )
    options = WriteOptions(
        fonts={"body": str(tmp_path), "title": str(tmp_path)}, system_fonts=False
    )
    fontset = fonts.FontSet(options)
    # standard: body, heading 4 and page numbers regular; title and heading 3 bold (song-bold).
    for role in ("body", "heading4", "page_number"):
        assert fontset.face(role).family == "Song Regular", role
    for role in ("title", "heading3"):
        assert fontset.face(role).family == "Song Bold", role
    reason = fontset.choices["body"].reason()
    assert reason == f"from folder {tmp_path}: SC, weight 400, upright; 6 candidates"
    gongwen = fonts.FontSet(WriteOptions(GONGWEN, {"title": str(tmp_path)}, system_fonts=False))
    assert gongwen.face("title").family == "Song Bold"  # 小标宋 is a heavy face
    # Only italic faces: the nearest weight among them, and the listing says it is italic.
    for name in ("1-bold", "3-light", "4-black", "5-regular"):
        shutil.rmtree(tmp_path / name)
    fontset = fonts.FontSet(WriteOptions(fonts={"body": str(tmp_path)}, system_fonts=False))
    assert fontset.face("body").family == "Song Italic"
    assert "weight 400, italic; 2 candidates" in fontset.choices["body"].reason()


def test_folder_face_of_the_role_family_wins_a_tie(tmp_path: Path) -> None:
    # Like /usr/share/fonts/opentype/noto: Sans sorts before Serif, equal in all else.
    chars = COMMON + SC_CHARS
    styled_font(tmp_path / "NotoSansCJK-Regular.ttf", chars, "Noto Sans CJK SC")
    styled_font(tmp_path / "NotoSerifCJK-Regular.ttf", chars, "Noto Serif CJK SC")
    spec = str(tmp_path)
    fontset = fonts.FontSet(WriteOptions(fonts={"body": spec, "heading1": spec}))
    assert fontset.face("body").family == "Noto Serif CJK SC"  # 宋体
    assert fontset.face("heading1").family == "Noto Sans CJK SC"  # 黑体


def test_folder_search_is_recursive_bounded_and_deterministic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from exporter.fonts import choice

    root = tmp_path / "fonts"
    chars = COMMON + SC_CHARS
    twin_b = styled_font(root / "b" / "deep" / "er" / "twin.ttf", chars, "Twin")
    twin_a = styled_font(root / "a" / "twin.ttf", chars, "Twin")
    styled_font(root / "c" / "latin.otf", "ABC", "Latin Only")
    (root / "c" / "notes.txt").write_text("not a font")
    (root / "c" / "broken.ttf").write_text("not a font either")
    (root / "c" / "web.woff2").write_bytes(b"wOF2" + bytes(40))
    (root / "a" / "loop").symlink_to(root)  # a symlink loop is walked once
    (root / "dangling.ttf").symlink_to(root / "missing.ttf")
    (root / "z-link.ttf").symlink_to(twin_b)  # the same file twice counts once
    # Equal faces: the tie falls to the path, the same on every run.
    picked = {fonts.choose(str(root)).file.path for _ in range(3)}
    assert picked == {twin_a}
    found = choice.choose_in_folder(root)
    assert found.candidates == 3 and not found.stopped
    assert [p.relative_to(root).as_posix() for p in choice._font_files(root)] == [
        "a/twin.ttf",
        "b/deep/er/twin.ttf",
        "c/broken.ttf",
        "c/latin.otf",
    ]
    twin_a.unlink()
    assert fonts.choose(str(root)).file.path == twin_b  # found three folders down
    # A bound on the files read: the search stops, says so, and still chooses.
    monkeypatch.setattr(choice, "MAX_FONT_FILES", 1)
    found = choice.choose_in_folder(root)
    assert found.stopped and found.candidates == 1 and found.file.path == twin_b
    assert "search stopped at 1 font files" in found.reason()
    monkeypatch.setattr(choice, "MAX_DEPTH", 1)
    with pytest.raises(FontError, match="no usable font file"):
        choice.choose_in_folder(root / "b")


def test_folder_collection_face_index_is_chosen_by_language(tmp_path: Path) -> None:
    both = COMMON + SC_CHARS + TC_CHARS
    faces = [
        styled_font(tmp_path / f"{n}.ttf", both, family)
        for n, family in enumerate(["Pan CJK JP", "Pan CJK KR", "Pan CJK SC", "Pan CJK TC"])
    ]
    collection = TTCollection()
    collection.fonts = [TTFont(str(f)) for f in faces]
    (tmp_path / "coll").mkdir()
    collection.save(str(tmp_path / "coll" / "pan.ttc"))
    assert fonts.choose(str(tmp_path / "coll"), "zh-CN").file.index == 2
    assert fonts.choose(str(tmp_path / "coll"), "zh-TW").file.index == 3
    assert fonts.choose(str(tmp_path / "coll"), "ja").file.index == 0


def test_the_document_language_reaches_the_folder_choice(tmp_path: Path) -> None:
    styled_font(tmp_path / "a.ttf", COMMON + TC_CHARS, "Hant Face")
    styled_font(tmp_path / "b.ttf", COMMON + SC_CHARS, "Hans Face")
    options = WriteOptions(fonts={"body": str(tmp_path)}, system_fonts=False)
    for language, family in (("zh-TW", "HantFace"), ("zh-CN", "HansFace")):
        doc = Document(Metadata(title="t", language=language), (Paragraph(plain("中文")),))
        buf = io.BytesIO()
        PdfWriter().write(doc, options, buf)
        assert family in embedded(PdfReader(io.BytesIO(buf.getvalue()))), language
    fallback = WriteOptions(fallback_fonts=(str(tmp_path),), system_fonts=False)
    assert fonts.FontSet(fallback, "zh-TW").fallbacks[-1].family == "Hant Face"
    assert fonts.FontSet(fallback, "zh-CN").fallbacks[-1].family == "Hans Face"
    out = io.StringIO()
    assert fonts_command(options, None, out, "zh-TW") == 0
    listing = out.getvalue()
    assert "language zh-TW" in listing
    assert f"body: {tmp_path / 'a.ttf'} (Hant Face)" in listing
    assert f"    from folder {tmp_path}: TC, weight 400, upright; 2 candidates" in listing


def test_fonts_command_shows_the_folder_choice_for_the_document_language(tmp_path: Path) -> None:
    fonts_dir = tmp_path / "fonts"
    styled_font(fonts_dir / "x" / "a.ttf", COMMON + TC_CHARS, "Hant Face")
    styled_font(fonts_dir / "y" / "b.ttf", COMMON + SC_CHARS, "Hans Face", weight=700)
    args = ("fonts", "--no-system-fonts", "--font", f"body={fonts_dir}")
    out = run_cli(*args).stdout.decode()
    assert "language zh-CN" in out and f"body: {fonts_dir / 'y' / 'b.ttf'}" in out
    assert f"from folder {fonts_dir}: SC, weight 700, not 400, upright; 2 candidates" in out
    # A Traditional document (the reader says zh-TW) gets the TC face.
    trad = tmp_path / "trad.txt"
    trad.write_text("這個國家的人們說，時間會過去。我們對這些門前的書很關心。\n", encoding="utf-8")
    proc = run_cli(*args, "--check", str(trad))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode()
    assert f"body: {fonts_dir / 'x' / 'a.ttf'} (from folder {fonts_dir}: TC, weight 400" in out


def test_variant_of_language_tags() -> None:
    from exporter.fonts.traits import variant_of

    cases = {"zh-CN": "SC", "zh": "SC", "zh-Hans-HK": "SC", "zh-TW": "TC", "zh_HK": "TC"}
    cases |= {"zh-Hant": "TC", "zh-MO": "TC", "ja-JP": "JP", "ko": "KR", "en": "SC"}
    assert {tag: variant_of(tag) for tag in cases} == cases


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("{tmp}/missing.ttf", "font file not found: .*missing.ttf"),
        ("{tmp}/text.ttf", "not a font file .*text.ttf"),
        ("{tmp}/web.woff2", "WOFF web font"),
        ("{tmp}/empty", "no usable font file .* in folder"),
        ("{tmp}/a.ttf#1", "not a font collection"),
    ],
)
def test_bad_font_paths_give_one_line_errors(tmp_path: Path, spec: str, message: str) -> None:
    (tmp_path / "text.ttf").write_text("hello, not a font\n")
    (tmp_path / "web.woff2").write_bytes(b"wOF2" + bytes(40))
    (tmp_path / "empty").mkdir()
    make_font(tmp_path / "a.ttf", "甲", "A")
    with pytest.raises(FontError, match=message) as info:
        fonts.FontSet(WriteOptions(fonts={"body": spec.format(tmp=tmp_path)}))
    assert "\n" not in str(info.value)


def test_unknown_role_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FontError, match="unknown font role 'bodyy'"):
        fonts.FontSet(WriteOptions(fonts={"bodyy": "/x.ttf"}))


# -- subsets --------------------------------------------------------------------------------------


def test_subset_is_deterministic_and_covers_every_character() -> None:
    text = SAMPLE.read_text(encoding="utf-8") + "𠮷"
    face = fonts.fontset_for(WriteOptions(system_fonts=False)).face("body")
    data = face.subset(text)
    assert data == face.subset(text)
    asked = {ord(c) for c in text} & face.codepoints
    assert len(asked) > 500
    tt = TTFont(io.BytesIO(data))
    assert set(tt.getBestCmap()) == asked
    assert "glyf" in tt
    kai = fonts.Face(fonts.bundled_file("kai"), "kai")
    assert 0x20BB7 in TTFont(io.BytesIO(kai.subset("𠮷野家"))).getBestCmap()


def test_cff_subset_is_truetype(tmp_path: Path) -> None:
    path = make_font(tmp_path / "c.otf", "甲乙丙", "C", cff=True)
    data = fonts.Face(fonts.FontFile(path)).subset("乙丙丁")
    tt = TTFont(io.BytesIO(data))
    assert "glyf" in tt and set(tt.getBestCmap()) == {ord("乙"), ord("丙")}


# -- exporter fonts -------------------------------------------------------------------------------


def test_fonts_command_lists_roles_and_coverage() -> None:
    out = io.StringIO()
    assert fonts_command(WriteOptions(profile=GONGWEN), None, out) == 0
    listing = out.getvalue()
    assert "body: bundled ZhuqueFangsong-Regular.ttf (Zhuque Fangsong Regular) for 仿宋" in listing
    assert "‘ ’ “ ”: from the fallback chain" in listing
    assert "GB2312 7445/7445" in listing and "GBK " in listing and "Big5 " in listing
    assert "stand-in: 方正小标宋简体" in listing and "OFL-1.1" in listing


def test_fonts_check_lists_uncovered_characters() -> None:
    out = io.StringIO()
    assert fonts_command(WriteOptions(system_fonts=False), EMOJI, out) == 1
    assert "U+20000 𠀀 at line " in out.getvalue()
    out = io.StringIO()
    assert fonts_command(WriteOptions(system_fonts=False), SAMPLE, out) == 0


# -- installed wheel ------------------------------------------------------------------------------


def _build_isolation_flags() -> list[str]:
    """``--no-build-isolation`` when this interpreter can build the wheel itself (no download).

    setuptools 70.1 builds wheels on its own; an older one needs the ``wheel`` package. Without
    them pip builds in an isolated environment and fetches setuptools from its configured index.
    """
    try:
        import setuptools
    except ImportError:
        return []
    version = tuple(int(p) for p in setuptools.__version__.split(".")[:2] if p.isdigit())
    if version < (69, 0):  # pyproject.toml's build requirement
        return []
    if version >= (70, 1) or importlib.util.find_spec("wheel") is not None:
        return ["--no-build-isolation"]
    return []


@pytest.mark.slow
def test_wheel_ships_the_fonts(tmp_path: Path) -> None:
    # Build from a copy so that setuptools' build/ and egg-info stay out of the repository.
    tree = tmp_path / "tree"
    junk = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    for part in ("src", "fonts"):
        shutil.copytree(REPO / part, tree / part, ignore=junk)
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (REPO / name).is_file():
            shutil.copy(REPO / name, tree / name)
    wheels = tmp_path / "wheels"
    pip = [sys.executable, "-m", "pip"]
    build = [*pip, "wheel", "--no-deps", *_build_isolation_flags(), "-q", "-w", str(wheels)]
    subprocess.run([*build, str(tree)], check=True, cwd=tmp_path)
    (wheel,) = wheels.glob("exporter-*.whl")
    # Install the wheel alone into a folder; its dependencies come from this interpreter's own
    # site-packages, so nothing is downloaded and this works in a venv and without one.
    target = tmp_path / "target"
    install = [*pip, "install", "--no-deps", "--no-index", "-q", "--target", str(target)]
    subprocess.run([*install, str(wheel)], check=True, cwd=tmp_path)
    script = textwrap.dedent(
        """
        import exporter, exporter.fonts as f
        from exporter.options import WriteOptions
        fs = f.fontset_for(WriteOptions(system_fonts=False))
        print(exporter.__file__)
        print(f.bundled_dir())
        print(fs.face("body").file.path)
        print(len(fs.face("body").subset("中文")))
        from importlib.resources import files
        web = files("exporter.web")
        assets = ("templates/index.html", "static/app.js", "static/app.css", "static/icon.svg")
        print(str(web), all((web / name).is_file() for name in assets))
        """
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # The installed copy first; then whatever else this interpreter finds its dependencies on
    # (its site-packages come anyway; an editable install's finder comes after PYTHONPATH).
    src = REPO / "src"
    rest = [
        p for p in sys.path if p and Path(p).is_dir() and not Path(p).resolve().is_relative_to(src)
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONPATH"] = os.pathsep.join([str(target), *rest])
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=elsewhere, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    package, bundled, body, size = result.stdout.split("\n")[:4]
    for path in (package, bundled, body):
        assert Path(path).is_relative_to(target) and not Path(path).is_relative_to(REPO), path
    assert int(size) > 1000  # harfbuzz read the installed body font
    for key, entry in fonts.BUNDLED.items():
        assert (Path(bundled) / entry.file).is_file(), key
        assert (Path(bundled) / entry.licence_file).is_file(), key
    # exporter serve's page: its template and assets are package data of exporter.web
    web, shipped = result.stdout.split("\n")[4].rsplit(" ", 1)
    assert Path(web).is_relative_to(target) and shipped == "True", result.stdout


# -- gongwen FangSong: bundled Zhuque Fangsong, installed FangSong first ---------------------------


def _gongwen_chars(text: str) -> list[dict[str, object]]:
    import pdfplumber

    doc = Document(Metadata(title="通知"), (Paragraph(plain(text)),))
    sink = io.BytesIO()
    PdfWriter().write(doc, WriteOptions(profile=GONGWEN, system_fonts=False), sink)
    with pdfplumber.open(io.BytesIO(sink.getvalue())) as pdf:
        page = pdf.pages[0]
        assert text in page.extract_text().replace("\n", "")
        return [c for c in page.chars if c["size"] == pytest.approx(16)]


def test_gongwen_body_is_zhuque_with_song_quotes_and_fallback() -> None:
    """The body is drawn in Zhuque Fangsong; its proportional quotation marks and what it lacks
    (① of GB 2312's symbol rows, 丂 of GBK) come from the Song face; the quotes take whole
    cells, so every Han character stays on the 28-cell grid."""
    text = "各单位要认真学习“十四五”规划和‘双碳’目标①，丂字由宋体补足。" * 3
    chars = _gongwen_chars(text)
    assert "".join(str(c["text"]) for c in chars) == text
    by_char = {str(c["text"]): str(c["fontname"]).split("+")[-1] for c in chars}
    assert by_char["各"] == by_char["规"] == "ZhuqueFangsong-Regular"
    for ch in "“”‘’①丂":
        assert by_char[ch] == "NotoSerifCJKsc-Regular", ch
    left = GONGWEN.margin_left_mm * 72 / 25.4
    cell = GONGWEN.text_width_mm * 72 / 25.4 / 28
    for c in chars:
        k = (float(c["x0"]) - left) / cell  # type: ignore[arg-type]
        assert abs(k - round(k)) < 0.02, (c["text"], k)
    # The quotation marks are full width: an opening mark is followed a cell later by its word.
    xs = [float(c["x0"]) for c in chars]  # type: ignore[arg-type]
    row = [float(c["top"]) for c in chars]  # type: ignore[arg-type]
    i = text.index("“")
    if row[i] == row[i + 1]:
        assert xs[i + 1] - xs[i] == pytest.approx(cell, abs=0.05)


def _fontconfig_with(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, font: Path) -> None:
    """Point fontconfig at a folder holding only ``font`` and forget every cached lookup."""
    folder = tmp_path / "installed"
    folder.mkdir()
    shutil.copy(font, folder / font.name)
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        f"<fontconfig><dir>{folder}</dir><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    from exporter.fonts import system

    for cached in (
        system.installed,
        system._fontconfig_index,
        system.system_faces,
        fontset_module._face,
    ):
        cached.cache_clear()
        monkeypatch.setattr(fontset_module, "_fontsets", {})


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="needs fontconfig's fc-list")
def test_gongwen_takes_an_installed_fangsong_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A clerk's installed 仿宋_GB2312 wins over the bundled Zhuque Fangsong, and says so."""
    font = make_font(tmp_path / "fsgb2312.ttf", "通知各单位", "仿宋_GB2312")
    _fontconfig_with(tmp_path, monkeypatch, font)
    try:
        fontset = fonts.FontSet(WriteOptions(profile=GONGWEN))
        assert fontset.face("body").file.path.name == "fsgb2312.ttf"
        assert fontset.face("heading3").file.path.name == "fsgb2312.ttf"
        out = io.StringIO()
        fonts_command(WriteOptions(profile=GONGWEN), None, out)
        assert "installed, found by its name 仿宋_GB2312 (fontconfig)" in out.getvalue()
        # An installed FangSong is used whole: its own quotation marks are not replaced.
        assert fontset.face("body").deferred == frozenset()
        # Without system fonts the bundled face is the body.
        bundled = fonts.FontSet(WriteOptions(profile=GONGWEN, system_fonts=False))
        assert bundled.face("body").file.path.name == "ZhuqueFangsong-Regular.ttf"
    finally:
        from exporter.fonts import system

        system.installed.cache_clear()
        system._fontconfig_index.cache_clear()
        system.system_faces.cache_clear()
        fontset_module._face.cache_clear()


def test_recorded_checksums_verify() -> None:
    """``fonts/build.py --verify`` checks every bundled file, Zhuque Fangsong included (it has
    no registry source to rebuild it from)."""
    root = Path(__file__).resolve().parent.parent
    build = root / "fonts" / "build.py"
    done = subprocess.run(
        [sys.executable, str(build), "--verify"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (
        "625230c2931d9b8551610d154962d6f7bdf9f1871b97dbc1c73ea1fee13b8323  "
        "ZhuqueFangsong-Regular.ttf" in done.stdout
    )
    assert sorted(line.split()[1] for line in done.stdout.splitlines()) == sorted(
        fonts.bundled_file(key).path.name for key in fonts.BUNDLED
    )


def test_installed_fangsong_found_in_the_standard_folders_without_fontconfig(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without fc-list (Windows, most Macs) the OS's font folders are searched by family name:
    a localized 仿宋 family record is enough."""
    from exporter.fonts import system

    folder = tmp_path / "Fonts"
    (folder / "sub").mkdir(parents=True)
    make_font(folder / "sub" / "simfang.ttf", "通知各单位", "仿宋")
    make_font(folder / "other.ttf", "通知", "Some Sans")
    (folder / "broken.ttf").write_bytes(b"not a font")
    real_which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda n: None if n == "fc-list" else real_which(n))
    monkeypatch.setattr(system, "standard_folders", lambda: (folder, tmp_path / "absent"))
    monkeypatch.setattr(fontset_module, "_fontsets", {})
    for cached in (
        system.installed,
        system._fontconfig_index,
        system.system_faces,
        system._folder_index,
    ):
        cached.cache_clear()
    try:
        found = system.installed(("仿宋_GB2312", "仿宋"))
        assert found is not None and found.file.path.name == "simfang.ttf"
        assert found.name == "仿宋" and found.via == "the system font folders"
        out = io.StringIO()
        fonts_command(WriteOptions(profile=GONGWEN), None, out)
        assert "installed, found by its name 仿宋 (the system font folders)" in out.getvalue()
        assert system.installed(("方正小标宋简体",)) is None
    finally:
        for cached in (
            system.installed,
            system._fontconfig_index,
            system.system_faces,
            system._folder_index,
        ):
            cached.cache_clear()


# -- code: the bundled monospaced face ------------------------------------------------------------

CODE_MD = "# 手册\n\n运行 `pip install exporter` 与 `配置` 文件。\n\n```\nexporter convert 文件.txt\n```\n"


def test_code_is_set_in_the_monospaced_face_with_han_in_the_body_face(tmp_path: Path) -> None:
    import pdfplumber

    from exporter.reader import read_path

    src = tmp_path / "code.md"
    src.write_text(CODE_MD, encoding="utf-8")
    doc = read_path(src).document
    sink = io.BytesIO()
    PdfWriter().write(doc, WriteOptions(system_fonts=False), sink)
    with pdfplumber.open(io.BytesIO(sink.getvalue())) as pdf:
        chars = pdf.pages[0].chars
        text = pdf.pages[0].extract_text()
    assert "pip install exporter" in text and "exporter convert 文件.txt" in text
    face = {
        (str(c["text"]), round(float(c["top"]))): str(c["fontname"]).split("+")[-1] for c in chars
    }
    code_latin = [f for (t, _), f in face.items() if t in "pixc"]
    assert code_latin and set(code_latin) == {"NotoSansMono-Regular"}
    # Han inside code (配置, 文件) is set in the body face, as is the text around it.
    assert {f for (t, _), f in face.items() if t in "配置文件运行"} == {"NotoSerifCJKsc-Regular"}
    # Monospaced: on each line (inline code 12 pt, the block 7/8 of it) every Latin glyph of
    # the code has the same width.
    widths: dict[int, set[float]] = {}
    for c in chars:
        if str(c["fontname"]).endswith("NotoSansMono-Regular") and str(c["text"]).isalpha():
            width = float(c["x1"]) - float(c["x0"])  # type: ignore[arg-type]
            widths.setdefault(round(float(c["top"])), set()).add(round(width, 2))  # type: ignore[arg-type]
    assert len(widths) == 2 and all(len(w) == 1 for w in widths.values())


def test_epub_embeds_the_monospaced_face_for_code(tmp_path: Path) -> None:
    import zipfile

    from exporter.reader import read_path
    from exporter.writers.epub import EpubWriter

    src = tmp_path / "code.md"
    src.write_text(CODE_MD, encoding="utf-8")
    doc = read_path(src).document
    sink = io.BytesIO()
    EpubWriter().write(doc, WriteOptions(system_fonts=False), sink)
    with zipfile.ZipFile(io.BytesIO(sink.getvalue())) as z:
        css = next(z.read(n).decode() for n in z.namelist() if n.endswith(".css"))
        fonts_in = {n: TTFont(io.BytesIO(z.read(n))) for n in z.namelist() if n.endswith(".ttf")}
    mono = [n for n, f in fonts_in.items() if f["name"].getDebugName(1) == "Noto Sans Mono"]
    assert len(mono) == 1
    family = f"exporter-font{mono[0].split('font')[-1].split('.')[0]}"
    assert f'code {{ font-family: "{family}"' in css
    cmap = fonts_in[mono[0]].getBestCmap()
    assert {ord(c) for c in "pipnstalexorcv"} <= set(cmap)
    assert ord("配") not in cmap  # Han in code comes from the body face's subset


def test_gongwen_inline_code_keeps_the_grid_and_is_not_squeezed(tmp_path: Path) -> None:
    """On the 28-cell grid a code word takes whole half cells at its own advances (0.6 em,
    wider than a half cell): Han characters after it stay on the half-cell grid."""
    import pdfplumber

    from exporter.reader import read_path

    src = tmp_path / "code.md"
    src.write_text(
        "# 手册\n\n运行 `pip install exporter` 安装，`配置` 文件在此。\n", encoding="utf-8"
    )
    sink = io.BytesIO()
    PdfWriter().write(
        read_path(src).document, WriteOptions(profile=GONGWEN, system_fonts=False), sink
    )
    left = GONGWEN.margin_left_mm * 72 / 25.4
    half = GONGWEN.text_width_mm * 72 / 25.4 / 56
    with pdfplumber.open(io.BytesIO(sink.getvalue())) as pdf:
        chars = [c for c in pdf.pages[0].chars if c["size"] == pytest.approx(16)]
    han = [c for c in chars if ord(str(c["text"])) >= 0x2E80]
    assert len(han) > 8
    for c in han:
        k = (float(c["x0"]) - left) / half  # type: ignore[arg-type]
        assert abs(k - round(k)) < 0.02, (c["text"], k)
    mono = [c for c in chars if str(c["fontname"]).endswith("NotoSansMono-Regular")]
    xs = [float(c["x0"]) for c in mono if c["text"] != " "]  # type: ignore[arg-type]
    steps = [b - a for a, b in itertools.pairwise(xs[:3])]  # p-i-p
    assert steps == [pytest.approx(0.6 * 16, abs=0.05)] * 2
