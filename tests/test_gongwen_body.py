"""The 公文 主体 in PDF (GB/T 9704-2012 §7.3), measured from glyph positions with pdfplumber:
落款, 附件说明, 附注, word-whole title and byline breaks, and one look for numbers on the grid."""

from __future__ import annotations

import io
import itertools
import subprocess
import sys
from typing import Any

import pdfplumber
import pytest
from conftest import REAL

from exporter.model import (
    Addressee,
    Attachments,
    Block,
    Byline,
    Document,
    Heading,
    ListItem,
    Metadata,
    Official,
    Paragraph,
    Signature,
    Title,
    plain,
)
from exporter.options import GONGWEN, MM, STANDARD, WriteOptions
from exporter.reader import read_file, read_text
from exporter.writers.pdf import PdfWriter

GW = WriteOptions(profile=GONGWEN, source_date_epoch=1583452800)
LEFT = GONGWEN.margin_left_mm * MM
CELL = GONGWEN.text_width_mm * MM / 28
RIGHT = LEFT + 28 * CELL
BOTTOM = (GONGWEN.margin_top_mm + GONGWEN.text_height_mm) * MM


def render(doc: Document) -> bytes:
    out = io.BytesIO()
    PdfWriter().write(doc, GW, out)
    return out.getvalue()


def lines_of(data: bytes) -> list[tuple[int, str, list[dict[str, Any]]]]:
    """Every line of the type area in reading order: page index, text, glyphs left to right."""
    out = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for pi, page in enumerate(pdf.pages):
            chars = sorted(
                (c for c in page.chars if c["text"].strip() and c["top"] < BOTTOM),
                key=lambda c: (c["top"], c["x0"]),
            )
            rows: list[list[dict[str, Any]]] = []
            for c in chars:
                if rows and abs(rows[-1][0]["top"] - c["top"]) < 2.5:
                    rows[-1].append(c)
                else:
                    rows.append([c])
            for r in rows:
                r.sort(key=lambda c: c["x0"])
                out.append((pi, "".join(c["text"] for c in r), r))
    return out


def line(data: bytes, text: str) -> list[dict[str, Any]]:
    found = [r for _, t, r in lines_of(data) if t == text]
    assert len(found) == 1, [t for _, t, _ in lines_of(data)]
    return found[0]


def cells(x: float) -> float:
    return x / CELL


def notice(*blocks: Block, meta: Metadata | None = None) -> Document:
    body = (
        Title(plain("测试机关关于做好有关工作的通知")),
        Addressee(plain("各有关单位：")),
        Paragraph(plain("现将有关事项通知如下。" * 3)),
    )
    return Document(meta or Metadata(title="测试"), (*body, *blocks))


# -- 落款: GB/T 9704-2012 §7.3.5 ---------------------------------------------------------------


def test_notice_signature_right_two_and_date_two_right_of_it() -> None:
    """The sample notice (no seal): 最高人民检察院 (7 cells) is not shorter than its date, so the
    name stands two cells from the margin and the date starts two cells right of the name."""
    data = render(read_file(REAL / "gongwen_spp_notice_1997.txt"))
    name, date = line(data, "最高人民检察院"), line(data, "1997年10月6日")
    assert cells(RIGHT - name[-1]["x1"]) == pytest.approx(2, abs=0.02)
    assert cells(date[0]["x0"] - name[0]["x0"]) == pytest.approx(2, abs=0.02)
    assert date[-1]["x1"] <= RIGHT + 0.25  # never past the margin
    assert name[0]["top"] < date[0]["top"]


@pytest.mark.parametrize(
    ("signer", "date"),
    [("国务院办公厅", "2024年1月5日"), ("示范办公室", "2020年12月16日"), ("某局", "2024年1月5日")],
)
def test_unsealed_signature_gb9704_7_3_5_2(signer: str, date: str) -> None:
    """Name 右空二字 and the date's first character two cells right of the name's; a date
    longer than the name is 右空二字 itself and the name moves left with it."""
    data = render(notice(Signature((signer,), date)))
    name, day = line(data, signer), line(data, date)
    assert cells(day[0]["x0"] - name[0]["x0"]) == pytest.approx(2, abs=0.02)
    name_w, date_w = name[-1]["x1"] - name[0]["x0"], day[-1]["x1"] - day[0]["x0"]
    edge = day[-1]["x1"] if date_w > name_w + CELL / 4 else name[-1]["x1"]
    assert cells(RIGHT - edge) == pytest.approx(2, abs=0.3)  # a narrow last glyph: part of a cell
    assert day[-1]["x1"] <= RIGHT + 0.25  # an em (16 pt) glyph in its 15.79 pt cell


@pytest.mark.parametrize("signer", ["国务院办公厅", "中华人民共和国国家发展和改革委员会", "某局"])
def test_sealed_signature_gb9704_7_3_5_1(signer: str) -> None:
    """With a seal: the date 右空四字, the name centred over the date (a name too long for that
    ends at the margin instead)."""
    date = "2024年1月5日"
    sealed = Metadata(title="测试", official=Official(has_seal=True))  # front matter has_seal
    data = render(notice(Signature((signer,), date), meta=sealed))
    name, day = line(data, signer), line(data, date)
    # The date's last cell ends four cells from the margin (its last glyph is 日, full width).
    assert cells(RIGHT - day[-1]["x1"]) == pytest.approx(4, abs=0.02)
    centre = (day[0]["x0"] + day[-1]["x1"]) / 2
    if len(signer) / 2 <= 4 + cells(day[-1]["x1"] - day[0]["x0"]) / 2:
        assert (name[0]["x0"] + name[-1]["x1"]) / 2 == pytest.approx(centre, abs=0.5)
    else:
        assert cells(RIGHT - name[-1]["x1"]) == pytest.approx(0, abs=0.05)
    assert name[-1]["x1"] <= RIGHT + 0.25


# -- 附件说明 and 附注 -----------------------------------------------------------------------------


def test_attachment_note_wrapped_names_align_after_the_number() -> None:
    """GB/T 9704-2012 §7.3.4: 附件：1. two characters in; a wrapped name under the name above,
    later numbers under the first."""
    long = "中华人民共和国工会法实施细则及其配套的若干具体规定和说明材料的汇编"
    items = (ListItem("1.", plain(long)), ListItem("2.", plain("有关统计表")))
    data = render(notice(Attachments("附件：", items), Signature(("测试机关",), "2024年1月5日")))
    rows = [(t, r) for _, t, r in lines_of(data)]
    k = next(i for i, (t, _) in enumerate(rows) if t.startswith("附件：1."))
    first, wrapped, second = rows[k][1], rows[k + 1][1], rows[k + 2][1]
    assert cells(first[0]["x0"] - LEFT) == pytest.approx(2, abs=0.02)
    name_x = next(c["x0"] for c in first if c["text"] == long[0])
    assert wrapped[0]["x0"] == pytest.approx(name_x, abs=0.05)
    number_x = next(c["x0"] for c in first if c["text"] == "1")
    assert second[0]["text"] == "2" and second[0]["x0"] == pytest.approx(number_x, abs=0.05)
    assert "".join(c["text"] for c in first + wrapped) == "附件：1." + long


def test_note_after_the_date_two_characters_in_on_the_next_line() -> None:
    """GB/T 9704-2012 §7.3.7: 附注 （此件公开发布） 左空二字, on the line after the date."""
    text = (
        "测试机关关于做好有关工作的通知\n\n各有关单位：\n\n现将有关事项通知如下，请遵照执行。\n\n"
        "测试机关\n2024年1月5日\n（此件公开发布）\n"
    )
    data = render(read_text(text).document)
    rows = lines_of(data)
    k = next(i for i, (_, t, _) in enumerate(rows) if t == "2024年1月5日")
    date, (_, note_text, note) = rows[k][2], rows[k + 1]
    assert note_text == "（此件公开发布）"
    assert cells(note[0]["x0"] - LEFT) == pytest.approx(2, abs=0.02)
    # the next row of the grid: one line pitch below the date
    pitch = GONGWEN.text_height_mm * MM / 22
    assert note[0]["top"] - date[0]["top"] == pytest.approx(pitch, abs=0.1)


# -- breaks between words: titles, headings, bylines -------------------------------------------


def _lines_in(data: bytes, size: float) -> list[str]:
    return [t for _, t, r in lines_of(data) if r[0]["size"] == pytest.approx(size)]


def _no_split(parts: list[str], words: tuple[str, ...]) -> None:
    """Every word in ``words`` lies whole on one of the lines ``parts``."""
    joined = "".join(parts)
    for word in words:
        start = joined.index(word)
        ends = list(itertools.accumulate(len(p) for p in parts))
        assert not any(start < e < start + len(word) for e in ends), (word, parts)


@pytest.mark.parametrize(
    ("title", "words"),
    [
        (
            "最高人民法院关于修改《最高人民法院关于在民事审判工作中适用〈中华人民共和国工会法〉"
            "若干问题的解释》等二十七件民事类司法解释的决定",
            ("中华人民共和国", "工会法", "最高人民法院", "司法解释", "民事", "审判"),
        ),
        (
            "国务院办公厅关于印发《中华人民共和国工会法》实施细则的通知",
            ("中华人民共和国", "工会法"),
        ),
        (
            "最高人民检察院关于检察工作中具体适用修订刑法第十二条若干问题的通知",
            ("检察工作", "修订"),
        ),
    ],
)
def test_titles_break_between_words(title: str, words: tuple[str, ...]) -> None:
    """GB/T 9704-2012 §7.3.1 词意完整: a wrapped title never splits a word (〈中华人 / 民共和国…〉
    was the flaw), keeps every character in order, and its lines stay balanced."""
    data = render(
        Document(Metadata(title=title), (Title(plain(title)), Paragraph(plain("正文。"))))
    )
    parts = _lines_in(data, 22)
    assert "".join(parts) == title and len(parts) >= 2
    _no_split(parts, words)
    # balanced: no line under half the longest (a trapezoid or diamond, not a stub)
    assert min(map(len, parts)) >= max(map(len, parts)) / 2, parts


def test_heading_on_the_grid_is_set_solid_like_body_text() -> None:
    """A gongwen heading that wraps is set like body text: every character on its cell, the
    full line justified to the margin with no gaps between words (breaking between words on
    the grid spread a line as 最高人民法院 关于 在 民事审判 …; GB/T 9704 asks whole words of the
    title only, §7.3.1)."""
    text = "修改《最高人民法院关于在民事审判工作中适用〈中华人民共和国工会法〉若干问题的解释》"
    head = Heading(1, "一、", plain(text))
    doc = notice(head, Paragraph(plain("正文。" * 10)))
    rows = [(t, r) for _, t, r in lines_of(render(doc)) if "Hei" in r[0]["fontname"] or
            "Sans" in r[0]["fontname"]]  # fmt: skip
    parts = [t for t, _ in rows]
    assert "".join(parts) == "一、" + text and len(parts) == 2
    first = rows[0][1]
    assert first[-1]["x1"] == pytest.approx(RIGHT, abs=0.3)  # justified to the margin
    for a, b in itertools.pairwise(first):  # no gap wider than a quarter cell anywhere
        assert b["x0"] - a["x1"] < CELL / 4, (a["text"], b["text"])


def test_heading_off_the_grid_breaks_between_words() -> None:
    """In the standard profile a wrapped heading breaks between words."""
    text = "修改《最高人民法院关于在民事审判工作中适用〈中华人民共和国工会法〉若干问题的解释》" * 2
    head = Heading(1, "一、", plain(text))
    doc = notice(head, Paragraph(plain("正文。" * 10)))
    out = io.BytesIO()
    PdfWriter().write(doc, WriteOptions(system_fonts=False), out)
    size = STANDARD.roles["heading1"].size_pt
    with pdfplumber.open(io.BytesIO(out.getvalue())) as pdf:
        chars = [c for c in pdf.pages[0].chars if c["size"] == pytest.approx(size)]
    rows: dict[int, str] = {}
    for c in chars:
        rows[round(c["top"])] = rows.get(round(c["top"]), "") + c["text"]
    parts = [rows[k] for k in sorted(rows)]
    assert "".join(parts) == "一、" + text and len(parts) >= 2
    _no_split(parts, ("中华人民共和国", "工会法", "最高人民法院", "适用"))


def test_byline_breaks_at_its_spaces_with_the_grid_pitch() -> None:
    """A byline too long for a line breaks at its own spaces (date / the body that acted),
    never inside a name (…第八届 / 检察委员会… was the flaw), its lines one pitch apart."""
    text = "1997年9月24日 最高人民检察院第八届检察委员会第七十四次会议通过"
    for block in (Byline(plain(text)),):
        doc = Document(
            Metadata(title="通知"),
            (Title(plain("关于具体适用修订刑法若干问题的通知")), block, Paragraph(plain("正文。"))),
        )
        rows = [(t, r) for _, t, r in lines_of(render(doc)) if r[0]["size"] == pytest.approx(16)]
        parts = [t for t, _ in rows[:2]]
        assert parts == ["1997年9月24日", "最高人民检察院第八届检察委员会第七十四次会议通过"]
        pitch = GONGWEN.text_height_mm * MM / 22
        assert rows[1][1][0]["top"] - rows[0][1][0]["top"] == pytest.approx(pitch, abs=0.05)
        assert rows[2][1][0]["top"] - rows[1][1][0]["top"] == pytest.approx(2 * pitch, abs=0.05)
        for _, r in rows[:2]:  # centred
            assert (r[0]["x0"] - LEFT) == pytest.approx(RIGHT - r[-1]["x1"], abs=1.0)


def test_sample_notice_record_breaks_at_its_space() -> None:
    data = render(read_file(REAL / "gongwen_spp_notice_1997.txt"))
    kai = [t for _, t, r in lines_of(data) if "Kai" in r[0]["fontname"]]
    assert kai == ["1997年9月24日", "最高人民检察院第八届检察委员会第七十四次会议通过"]


def test_wrapped_byline_without_spaces_breaks_between_words() -> None:
    text = "中华人民共和国国家发展和改革委员会社会发展研究所课题组首席研究员兼副所长"
    doc = Document(
        Metadata(title="报告"),
        (Title(plain("关于做好有关工作的报告")), Byline(plain(text)), Paragraph(plain("正文。"))),
    )
    rows = [t for _, t, r in lines_of(render(doc)) if "Kai" in r[0]["fontname"]]
    assert "".join(rows) == text and len(rows) == 2
    _no_split(rows, ("中华人民共和国", "研究所", "课题组", "研究员", "副所长"))


# -- numbers: one look on the grid -----------------------------------------------------------


def _han(c: dict[str, Any]) -> bool:
    return 0x3400 <= ord(c["text"]) <= 0x9FFF


def test_sample_notice_every_body_han_glyph_on_the_cell_grid() -> None:
    """Every Han glyph of the body, on justified and last lines alike, starts on a whole cell:
    a number of an odd number of half cells (9, 1) carries the half cell that puts the next
    character back on the grid wherever it falls."""
    data = render(read_file(REAL / "gongwen_spp_notice_1997.txt"))
    body = [(t, r) for _, t, r in lines_of(data) if r[0]["size"] == pytest.approx(16)]
    body = [(t, r) for t, r in body if "Kai" not in r[0]["fontname"]]  # not the centred record
    assert len(body) > 20
    for t, r in body:
        for c in filter(_han, r):
            k = cells(c["x0"] - LEFT)
            assert k == pytest.approx(round(k), abs=0.02), (t, c["text"], k)


def test_numbers_keep_one_look_on_justified_and_last_lines() -> None:
    """`1997年 9月30日` on a justified line and `10月1日` on a last line were spaced two ways: now
    each number sits the same way among its Han characters everywhere."""
    data = render(read_file(REAL / "gongwen_spp_notice_1997.txt"))
    seen: dict[str, set[tuple[float, ...]]] = {}
    for _, t, r in lines_of(data):
        for word in ("月1日", "年9月", "10月", "9月30日"):
            k = t.find(word)
            while k > 0:  # not at the start of a line (the margin takes it there)
                glyphs = r[k : k + len(word)]
                xs = tuple(
                    round(cells(b["x0"] - a["x0"]), 2) for a, b in itertools.pairwise(glyphs)
                )
                seen.setdefault(word, set()).add(xs)
                k = t.find(word, k + 1)
    assert len(seen["月1日"]) == 1 and len(seen["10月"]) == 1, seen
    assert sum(len(v) for v in seen.values()) == len(seen), seen
    (pattern,) = seen["月1日"]
    assert sum(pattern) == pytest.approx(2.0)  # 月 one cell, 1 half a cell, its half cell


@pytest.mark.parametrize(
    "text", ["增长率为3。", "共有3项工作，", "（LPR）利率", "第1.5倍的", "经过4·25文化会馆"]
)
def test_odd_narrow_runs_leave_every_han_glyph_on_the_grid(text: str) -> None:
    """On one-line paragraphs (never justified) too, a run of odd half cells takes whole cells
    with the character after it."""
    paras = tuple(Paragraph(plain(text * k)) for k in range(1, 5))
    data = render(Document(Metadata(title="测试"), paras))
    rows = [r for _, t, r in lines_of(data) if r[0]["size"] == pytest.approx(16)]
    assert len(rows) >= 4
    for r in rows:
        for c in filter(_han, r):
            k = cells(c["x0"] - LEFT)
            assert k == pytest.approx(round(k), abs=0.02), "".join(c["text"] for c in r)


def test_attachment_note_with_ten_items_aligns_wrapped_names() -> None:
    """`10.` takes three half cells and its half cell: the wrapped name still starts under the
    name above it, on the grid."""
    long = "关于进一步做好有关工作的实施意见及其配套的若干具体规定和说明材料"
    items = tuple(ListItem(f"{k}.", plain(long if k == 10 else "名称")) for k in range(1, 11))
    data = render(notice(Attachments("附件：", items)))
    rows = [r for _, t, r in lines_of(data)]
    k = next(i for i, r in enumerate(rows) if "".join(c["text"] for c in r).startswith("10."))
    first, wrapped = rows[k], rows[k + 1]
    name_x = next(c["x0"] for c in first if c["text"] == long[0])
    assert wrapped[0]["x0"] == pytest.approx(name_x, abs=0.05)
    assert cells(name_x - LEFT) == pytest.approx(round(cells(name_x - LEFT)), abs=0.02)


def test_the_segmenter_is_loaded_only_when_a_title_wraps() -> None:
    """rjieba is imported on first use: a document whose title and headings fit on a line
    never loads it; a wrapped title does."""
    code = (
        "import io, sys\n"
        "from exporter.model import Document, Metadata, Paragraph, Title, plain\n"
        "from exporter.options import GONGWEN, WriteOptions\n"
        "from exporter.writers.pdf import PdfWriter\n"
        "t = sys.argv[1]\n"
        "doc = Document(Metadata(title=t), (Title(plain(t)), Paragraph(plain('正文。'))))\n"
        "PdfWriter().write(doc, WriteOptions(profile=GONGWEN), io.BytesIO())\n"
        "print('rjieba' in sys.modules)\n"
    )
    long = "国务院办公厅关于印发《中华人民共和国工会法》实施细则的通知"
    for title, loaded in (("关于做好有关工作的通知", "False"), (long, "True")):
        proc = subprocess.run(
            [sys.executable, "-c", code, title], capture_output=True, text=True, check=False
        )
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.strip() == loaded, title


@pytest.mark.parametrize("options_doc", ["sample", "paragraph"])
def test_a_date_opening_a_paragraph_is_spaced_as_elsewhere(options_doc: str) -> None:
    """`3月6日` opening the sample's lead: 3 keeps its unit as 6 does (the half cell before it
    sets the first line in by half a cell), and the Han characters stay on the grid."""
    if options_doc == "sample":
        doc = read_file(REAL / "news_xinhua_poverty_symposium_2020.txt")
    else:
        doc = notice(Paragraph(plain("3月6日，会议在北京举行。" * 4)))
    rows = [r for _, t, r in lines_of(render(doc)) if t.startswith("3月6日")]
    assert rows
    r = rows[0]
    three, month, six, day = r[0], r[1], r[2], r[3]
    assert cells(month["x0"] - three["x0"]) == pytest.approx(cells(day["x0"] - six["x0"]), abs=0.02)
    assert cells(three["x0"] - LEFT) == pytest.approx(2.5, abs=0.02)  # indent, then its half cell
    for c in filter(_han, r):
        k = cells(c["x0"] - LEFT)
        assert k == pytest.approx(round(k), abs=0.02)
