"""The 公文 版头 and 版记 in PDF, measured from glyph and path positions against GB/T 9704-2012 §7.2, §7.4, §7.5, §10."""

from __future__ import annotations

import io
from typing import Any

import pdfplumber
import pytest
from conftest import FIXTURES
from test_pdf import squash, text_layer

from exporter.model import Document, document_text
from exporter.options import GONGWEN, MM, WriteOptions, get_profile
from exporter.reader import read_path, read_text
from exporter.writers.pdf import PdfWriter

FULL = FIXTURES / "official" / "full_notice.txt"
SCRAPED = FIXTURES / "official" / "scraped_notice.txt"
TOP = GONGWEN.margin_top_mm * MM  # the type area's top edge, from the page's top
LEFT = GONGWEN.margin_left_mm * MM
WIDTH = GONGWEN.text_width_mm * MM
BOTTOM = TOP + GONGWEN.text_height_mm * MM
PITCH = GONGWEN.text_height_mm * MM / 22
CELL = WIDTH / 28
RED = (1.0, 0.0, 0.0)
BODY = "\n\n".join(["　　为切实做好有关工作，现将有关事项通知如下，请认真贯彻执行。"] * 3)


def pdf_of(doc: Document, profile: str = "gongwen") -> bytes:
    out = io.BytesIO()
    PdfWriter().write(doc, WriteOptions(profile=get_profile(profile), source_date_epoch=0), out)
    return out.getvalue()


def notice(meta: dict[str, str], body: str = BODY, profile: str = "gongwen") -> Any:
    doc = read_text(f"某某市人民政府关于做好有关工作的通知\n\n{body}\n", meta=meta).document
    return pdfplumber.open(io.BytesIO(pdf_of(doc, profile)))


def row(page: Any, text: str) -> list[dict[str, Any]]:
    """The characters of the line that holds ``text``."""
    for top in sorted({round(c["top"], 1) for c in page.chars}):
        chars = sorted((c for c in page.chars if abs(c["top"] - top) < 0.2), key=lambda c: c["x0"])
        if text in "".join(c["text"] for c in chars):
            return chars
    raise AssertionError(f"{text!r} not on the page")


def red(c: dict[str, Any]) -> bool:
    return tuple(c.get("non_stroking_color") or ()) == RED


FULL_META = {"发文机关": "某某市人民政府文件", "发文字号": "某府发〔2024〕12号", "份号": "123",
             "密级": "机密★1年", "紧急程度": "特急", "抄送": "市委各部门，市人大常委会办公室",
             "印发机关": "某某市人民政府办公室", "印发日期": "2024-01-05"}  # fmt: skip


# -- 版头 (文件格式, §7.2) ---------------------------------------------------------------------


def test_masthead_is_red_centred_with_its_top_35mm_below_the_type_area() -> None:
    with notice(FULL_META) as pdf:
        page = pdf.pages[0]
        glyphs = [c for c in page.chars if red(c)]
        assert "".join(c["text"] for c in glyphs) == "某某市人民政府文件"
        assert abs(min(c["top"] for c in glyphs) - TOP - 35 * MM) < 0.3 * MM
        middle = (glyphs[0]["x0"] + glyphs[-1]["x1"]) / 2
        assert abs(middle - (LEFT + WIDTH / 2)) < 0.3 * MM
        title = row(page, "通知")
        assert glyphs[0]["fontname"] == title[0]["fontname"]  # the title's 小标宋 face
        assert not any(red(c) for c in page.chars if c not in glyphs)


def test_copy_classification_and_urgency_flush_left_on_lines_one_to_three() -> None:
    with notice(FULL_META) as pdf:
        page = pdf.pages[0]
        body_font = row(page, "为切实")[0]["fontname"]
        for k, text in enumerate(["000123", "机密★1年", "特急"]):
            chars = row(page, text)
            assert "".join(c["text"] for c in chars) == text
            assert abs(chars[0]["x0"] - LEFT) < 0.1
            assert abs(chars[0]["top"] - TOP - k * PITCH) < 0.5
            assert chars[0]["size"] == 16
        # 密级 and 紧急程度 in 3号黑体, not in the body's 仿宋 (§7.2.2, §7.2.3).
        assert row(page, "特急")[0]["fontname"] != body_font
        assert row(page, "机密")[0]["fontname"] == row(page, "特急")[0]["fontname"]


def test_number_two_lines_below_the_masthead_and_the_red_line_4mm_below_it() -> None:
    with notice(FULL_META) as pdf:
        page = pdf.pages[0]
        mast = [c for c in page.chars if red(c)]
        number = row(page, "某府发")
        assert "".join(c["text"] for c in number) == "某府发〔2024〕12号"
        assert abs((number[0]["x0"] + number[-1]["x1"]) / 2 - (LEFT + WIDTH / 2)) < 0.3 * MM
        gap = number[0]["top"] - max(c["bottom"] for c in mast)
        assert abs(gap - 2 * PITCH) < 0.5  # 空二行
        (line,) = [ln for ln in page.lines if tuple(ln["stroking_color"]) == RED]
        assert abs(line["x0"] - LEFT) < 0.1 and abs(line["x1"] - LEFT - WIDTH) < 0.1
        # 4 mm below (a line's top is its middle: pdfplumber reads the path).
        assert abs(line["top"] - number[0]["bottom"] - 4 * MM) < 0.3 * MM


def test_title_two_lines_below_the_red_line_on_the_grid() -> None:
    with notice(FULL_META) as pdf:
        page = pdf.pages[0]
        (line,) = [ln for ln in page.lines if tuple(ln["stroking_color"]) == RED]
        title = row(page, "某某市人民政府关于")
        assert 2 * PITCH <= title[0]["top"] - line["top"] < 3 * PITCH
        first = row(page, "为切实")
        rows_down = (first[0]["top"] - TOP) / PITCH
        assert abs(rows_down - round(rows_down)) < 0.02  # the body stays on the 22-line grid


def test_upward_document_number_left_signer_right_in_fangsong_and_kai() -> None:
    meta = {"issuer": "某某县人民政府", "number": "某府〔2024〕3号", "signer": "张三"}
    with notice(meta) as pdf:
        page = pdf.pages[0]
        line = row(page, "某府")
        text = "".join(c["text"] for c in line)
        assert text == "某府〔2024〕3号签发人：张三"
        assert abs(line[0]["x0"] - LEFT - CELL) < 0.3  # 左空一字
        assert abs(line[-1]["x1"] - (LEFT + WIDTH - CELL)) < 0.3  # 右空一字
        label = [c for c in line if c["text"] in "签发人："]
        names = [c for c in line if c["text"] in "张三"]
        body_font = row(page, "为切实")[0]["fontname"]
        assert {c["fontname"] for c in label} == {body_font}  # 3号仿宋
        assert {c["fontname"] for c in names} != {body_font}  # 3号楷体
        assert all(c["size"] == 16 for c in line)


def test_joint_document_stacks_the_bodies_centred() -> None:
    with notice({"发文机关": "某某部；某某委员会"}) as pdf:
        page = pdf.pages[0]
        first, second = row(page, "某某部"), row(page, "某某委员会")
        assert all(red(c) for c in first + second)
        assert abs(first[0]["top"] - TOP - 35 * MM) < 0.3 * MM
        assert second[0]["top"] > first[0]["bottom"]
        for line in (first, second):
            assert abs((line[0]["x0"] + line[-1]["x1"]) / 2 - (LEFT + WIDTH / 2)) < 0.3 * MM


def test_missing_fields_print_nothing() -> None:
    with notice({"issuer": "某某部"}) as pdf:
        page = pdf.pages[0]
        texts = {"".join(c["text"] for c in row(page, t)) for t in ("某某部", "为切实")}
        assert len(page.lines) == 1  # the red line only: no 版记 rules
        assert not any(c["text"] == "号" for c in page.chars)  # no 发文字号 invented
        assert "某某部" in texts


# -- 版记 (§7.4) ---------------------------------------------------------------------------------


def colophon_lines(page: Any) -> list[dict[str, Any]]:
    return sorted((ln for ln in page.lines if tuple(ln["stroking_color"]) != RED),
                  key=lambda ln: ln["top"])  # fmt: skip


def test_colophon_rules_and_lines_at_the_foot_of_the_type_area() -> None:
    meta = dict(
        FULL_META, 抄送="市委各部门，市人大常委会办公室，市政协办公室，市中级法院，市检察院"
    )
    with notice(meta) as pdf:
        page = pdf.pages[-1]
        rules = colophon_lines(page)
        assert [round(r["linewidth"] / MM, 2) for r in rules] == [0.35, 0.25, 0.35]
        for r in rules:
            assert abs(r["x0"] - LEFT) < 0.1 and abs(r["x1"] - LEFT - WIDTH) < 0.1
        # The last rule on the type area's bottom edge.
        assert abs(rules[-1]["top"] + rules[-1]["linewidth"] / 2 - BOTTOM) < 0.1 * MM
        cc = row(page, "抄送：")
        assert all(c["size"] == 14 for c in cc)  # 4号
        assert abs(cc[0]["x0"] - LEFT - CELL) < 0.3  # 左空一字
        assert cc[-1]["x1"] <= LEFT + WIDTH - CELL + 0.3  # 右空一字
        wrapped = row(page, "市检察院")
        assert abs(wrapped[0]["x0"] - (cc[0]["x0"] + 3 * 14)) < 0.3  # after the colon
        assert wrapped[-1]["text"] == "。"
        assert rules[0]["top"] < cc[0]["top"] and wrapped[0]["bottom"] < rules[1]["top"]
        printed = row(page, "印发")
        assert printed[0]["top"] > rules[1]["top"] and printed[-1]["bottom"] < rules[2]["top"]
        assert "".join(c["text"] for c in printed) == "某某市人民政府办公室　2024年1月5日印发"
        assert abs(printed[0]["x0"] - LEFT - CELL) < 0.3  # 印发机关 左空一字
        assert abs(printed[-1]["x1"] - (LEFT + WIDTH - CELL)) < 0.3  # 印发日期 右空一字


def _numbers(page: Any) -> str:
    return "".join(c["text"] for c in page.chars if c["top"] > BOTTOM and c["text"].strip())


def test_colophon_goes_to_an_even_page_without_a_number() -> None:
    with notice(FULL_META) as pdf:  # a one-page body: the 版记 alone on page 2
        assert len(pdf.pages) == 2
        assert "抄送" not in "".join(c["text"] for c in pdf.pages[0].chars)
        assert colophon_lines(pdf.pages[1]) and _numbers(pdf.pages[1]) == ""
        assert _numbers(pdf.pages[0]) == "—1—"


def test_a_blank_page_before_the_colophon_when_an_even_page_is_full() -> None:
    # 16 paragraphs of two lines: 10 lines under the 版头 on page 1, 22 lines fill page 2.
    body = "\n\n".join(["　　为切实做好有关工作，现将有关事项通知如下，请认真贯彻执行。"] * 16)
    with notice(FULL_META, body) as pdf:
        assert len(pdf.pages) == 4
        assert _numbers(pdf.pages[1]) == "—2—"
        assert "抄送" not in "".join(c["text"] for c in pdf.pages[1].chars)
        assert pdf.pages[2].chars == [] and not pdf.pages[2].lines  # blank, unnumbered
        assert colophon_lines(pdf.pages[3]) and _numbers(pdf.pages[3]) == ""


def test_colophon_shares_an_even_last_page_that_has_room() -> None:
    body = "\n\n".join(["　　为切实做好有关工作，现将有关事项通知如下，请认真贯彻执行。"] * 12)
    with notice(FULL_META, body) as pdf:
        assert len(pdf.pages) == 2
        last = pdf.pages[1]
        assert "为切实" in "".join(c["text"] for c in last.chars) and colophon_lines(last)
        assert _numbers(last) == "—2—"


# -- 信函格式 (§10.1) ------------------------------------------------------------------------


def test_letter_masthead_30mm_from_the_page_top_red_double_lines_no_first_number() -> None:
    with notice(FULL_META, profile="gongwen-letter") as pdf:
        first = pdf.pages[0]
        mast = [c for c in first.chars if red(c)]
        assert abs(min(c["top"] for c in mast) - 30 * MM) < 0.3 * MM
        lines = sorted((ln for ln in first.lines if tuple(ln["stroking_color"]) == RED),
                       key=lambda ln: ln["top"])  # fmt: skip
        assert len(lines) == 4
        for ln in lines:
            assert abs(ln["x1"] - ln["x0"] - 170 * MM) < 0.1
            assert abs((ln["x0"] + ln["x1"]) / 2 - (LEFT + WIDTH / 2)) < 0.1
        upper, lower = lines[:2], lines[2:]
        assert upper[0]["linewidth"] > upper[1]["linewidth"]  # thick over thin
        assert lower[0]["linewidth"] < lower[1]["linewidth"]  # thin over thick
        # A line's top is its middle (pdfplumber reads the path, not the stroke's width).
        assert abs(upper[0]["top"] - max(c["bottom"] for c in mast) - 4 * MM) < 0.3 * MM
        assert abs(float(first.height) - lower[1]["top"] - 20 * MM) < 0.3 * MM
        assert _numbers(first) == ""  # no page number on the first page
        number = row(first, "某府发")
        assert abs(number[-1]["x1"] - LEFT - WIDTH) < 0.3  # 顶格 at the right
        assert abs(row(first, "000123")[0]["x0"] - LEFT) < 0.1


def test_letter_colophon_has_no_rules_and_no_visible_printed_line() -> None:
    doc = read_text("某某关于有关工作的函\n\n" + BODY + "\n", meta=FULL_META).document
    data = pdf_of(doc, "gongwen-letter")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        last = pdf.pages[-1]
        assert not colophon_lines(last)
        assert row(last, "抄送：")
        printed = row(last, "印发")
    # The 印发 line is in the text layer (nothing lost) but drawn invisibly (Tr 3).
    assert printed and squash(text_layer(data)) == squash(document_text(doc))
    from pypdf import PdfReader

    stream = PdfReader(io.BytesIO(data)).pages[-1].get_contents().get_data()
    assert stream.count(b"q 3 Tr") == 1


# -- nothing lost, same bytes --------------------------------------------------------------------


@pytest.mark.parametrize("profile", ["gongwen", "gongwen-letter", "gongwen-minutes", "standard"])
@pytest.mark.parametrize(
    "path",
    [FULL, SCRAPED, FIXTURES / "official" / "minutes.txt"],
    ids=["full", "scraped", "minutes"],
)
def test_text_layer_holds_every_field_in_order(path: Any, profile: str) -> None:
    doc = read_path(path).document
    assert text_layer(pdf_of(doc, profile)) == squash(document_text(doc))


def test_same_bytes_twice() -> None:
    doc = read_path(FULL).document
    assert pdf_of(doc) == pdf_of(doc)


# -- 纪要格式 (§10.3) ------------------------------------------------------------------------


def test_minutes_masthead_and_attendance_lists() -> None:
    doc = read_path(FIXTURES / "official" / "minutes.txt").document
    with pdfplumber.open(io.BytesIO(pdf_of(doc, "gongwen-minutes"))) as pdf:
        page = pdf.pages[0]
        mast = [c for c in page.chars if red(c)]
        assert "".join(c["text"] for c in mast) == "某某市人民政府常务会议纪要"
        assert abs(min(c["top"] for c in mast) - TOP - 35 * MM) < 0.3 * MM
        present = row(page, "出席：")
        hei = row(page, "一、")[0]["fontname"]  # the 一、 heading's 黑体
        assert {c["fontname"] for c in present[:3]} == {hei}
        assert {c["fontname"] for c in present[3:] if c["text"] == "某"} != {hei}  # 仿宋
        assert abs(present[0]["x0"] - LEFT - 2 * CELL) < 0.3  # 左空二字
        below = present[0]["top"] + PITCH
        wrapped = sorted((c for c in page.chars if abs(c["top"] - below) < 0.5),
                         key=lambda c: c["x0"])  # fmt: skip
        assert wrapped[0]["text"] == "某"
        assert abs(wrapped[0]["x0"] - LEFT - 5 * CELL) < 0.3  # aligned after the colon
        absent = row(page, "请假：")
        assert absent[0]["top"] - wrapped[0]["top"] == pytest.approx(PITCH, abs=0.5)
    # In the 文件 profile the same paragraphs stay ordinary paragraphs.
    with pdfplumber.open(io.BytesIO(pdf_of(doc, "gongwen"))) as pdf:
        present = row(pdf.pages[0], "出席：")
        assert abs(present[0]["x0"] - LEFT - 2 * CELL) < 0.3
        assert present[0]["fontname"] != row(pdf.pages[0], "一、")[0]["fontname"]


def test_joint_document_sets_wenjian_once_right_of_the_names_centred_on_them() -> None:
    with notice({"发文机关": "中共某某市委员会；某某市人民政府；文件"}) as pdf:
        page = pdf.pages[0]
        glyphs = [c for c in page.chars if red(c)]
        assert "".join(c["text"] for c in glyphs) == "中共某某市委员会某某市人民政府文件"
        names, suffix = glyphs[:-2], glyphs[-2:]
        assert min(c["x0"] for c in suffix) > max(c["x1"] for c in names)
        top, bottom = min(c["top"] for c in names), max(c["bottom"] for c in names)
        middle = (suffix[0]["top"] + suffix[0]["bottom"]) / 2
        assert abs(middle - (top + bottom) / 2) < 0.5
        assert abs(top - TOP - 35 * MM) < 0.3 * MM
        group = (min(c["x0"] for c in names) + max(c["x1"] for c in suffix)) / 2
        assert abs(group - (LEFT + WIDTH / 2)) < 0.5 * MM  # the whole masthead centred
