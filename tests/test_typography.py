"""Line breaker: prohibitions, unbreakable units, compression and justification, on exact widths."""

from __future__ import annotations

import itertools
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from exporter.typesetting.linebreak import (
    NO_END,
    NO_START,
    Line,
    Prepared,
    balanced_lines,
    break_lines,
    prepare,
    title_break_costs,
)

EM = 10.0


def widths(text: str) -> list[float]:
    """Full-width for CJK and marks (like a CJK font), 0.55 em for narrow characters."""
    return [EM if ord(c) >= 0x2000 else 5.5 for c in text]


def lay(text: str, measure: float, first: float | None = None) -> tuple[Prepared, list[Line]]:
    p = prepare(text, widths(text), EM)
    return p, break_lines(p, measure if first is None else first, measure)


def set_width(p: Prepared, ln: Line) -> float:
    """The drawn width of a line, recomputed from its advances, spacing and kerns."""
    end = ln.end
    while end > ln.start and p.text[end - 1].isspace():
        end -= 1
    w = sum(widths(p.text)[ln.start : end])
    w += ln.spacing * (end - ln.start - 1)
    w += sum(k for i, k in ln.kerns if i < end - 1 or k < 0)
    return w


def test_no_comma_starts_a_line_it_is_squeezed_in() -> None:
    # 10 cells fill the 100 pt line; the comma would start line 2. Squeezing 。” to 1.5 em and
    # trimming the final comma to half width makes room for it (先挤进).
    p, lines = lay("一二三。”四五六七八，九十", 100)
    assert p.text[lines[0].start : lines[0].end] == "一二三。”四五六七八，"
    assert abs(set_width(p, lines[0]) - 100) < 1e-6
    assert any(k < 0 for _, k in lines[0].kerns)


def test_char_pushed_down_when_squeezing_is_not_enough() -> None:
    # Two marks after a full line cannot both be squeezed: the last Han goes down with them.
    p, lines = lay("一二三四五六七八九十。”一二三", 100)
    first = p.text[lines[0].start : lines[0].end]
    second = p.text[lines[1].start : lines[1].end]
    assert second[0] not in NO_START
    assert first == "一二三四五六七八九"
    assert abs(set_width(p, lines[0]) - 100) < 1e-6  # justified with character spacing
    assert lines[0].spacing > 0


def test_opening_mark_never_ends_a_line() -> None:
    p, lines = lay("一二三四五六七八九“十一二”三", 100)
    for ln in lines:
        assert p.text[ln.start : ln.end].rstrip()[-1] not in NO_END


def test_dash_and_ellipsis_never_split_nor_start_a_line() -> None:
    for mark in ("——", "……"):
        for k in range(1, 12):
            text = "一" * k + mark + "二" * 12
            p, lines = lay(text, 100)
            for ln in lines:
                s = p.text[ln.start : ln.end]
                assert not s.startswith(mark[0]), (k, s)
            starts = {ln.start for ln in lines}
            assert text.index(mark) + 1 not in starts


def test_latin_word_number_url_not_split_and_not_stretched() -> None:
    text = "访问https://example.com/a?b=1网站，共计3.14159%的人使用Python语言编写程序代码。" * 3
    p, lines = lay(text, 150)
    for m in re.finditer(r"[!-~]+", text):
        inside = set(range(m.start() + 1, m.end()))
        assert not inside & {ln.start for ln in lines}, m.group()
    for ln in lines[:-1]:
        kern = dict(ln.kerns)
        for i in range(ln.start, ln.end - 1):
            if p.no_stretch[i + 1]:
                assert abs(ln.spacing + kern.get(i, 0.0)) < 1e-9  # Tc cancelled inside a word
        assert abs(set_width(p, ln) - 150) < 1e-6


def test_han_latin_gap_is_a_quarter_em() -> None:
    p = prepare("中文English中文", widths("中文English中文"), EM)
    assert p.gaps == {1: EM / 4, 8: EM / 4}


def test_last_line_not_justified_and_first_line_indent() -> None:
    _p, lines = lay("一" * 25, 100, first=80)
    assert [ln.end - ln.start for ln in lines] == [8, 10, 7]
    assert lines[-1].spacing == 0


def test_overlong_unit_is_cut_rather_than_overflowing() -> None:
    text = "x" * 50
    p, lines = lay(text, 100)
    assert "".join(p.text[ln.start : ln.end] for ln in lines) == text
    assert all(ln.width <= 100 + 1e-6 for ln in lines)
    # Its cut lines (all one word, already broken) are letter-spaced to the margin.
    assert all(abs(set_width(p, ln) - 100) < 1e-6 and ln.spacing > 0 for ln in lines[:-1])


ALPHABET = "一二三四五六七八九十中文，。、；：？！“”‘’（）《》——……abc 12.%"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, min_size=1, max_size=120), st.integers(8, 30))
def test_properties_on_random_text(text: str, chars: int) -> None:
    measure = chars * EM
    p, lines = lay(text, measure)
    assert lines[0].start == 0 and lines[-1].end == len(text)
    for a, b in itertools.pairwise(lines):
        assert a.end == b.start
    for k, ln in enumerate(lines):
        s = p.text[ln.start : ln.end]
        if not s.strip():
            continue
        assert set_width(p, ln) <= measure + 1e-6
        forced = p.no_break[ln.end] if ln.end < len(text) else 0
        if k > 0 and not p.no_break[ln.start]:
            assert s[0] not in NO_START or s[0] in "/"
        if ln.end < len(text) and not forced:
            assert s.rstrip()[-1] not in NO_END
            if ln.spacing > 0:
                assert abs(set_width(p, ln) - measure) < 1e-6


def test_two_line_title_is_a_trapezoid_not_a_rectangle() -> None:
    title = "最高人民检察院关于检察工作中具体适用修订刑法第十二条若干问题的通知"  # 33 characters
    p = prepare(title, widths(title), EM)
    measure = 20 * EM
    balanced = balanced_lines(p, measure)
    assert [ln.end - ln.start for ln in balanced] in ([17, 16], [16, 17])
    tapered = balanced_lines(p, measure, taper=2 * EM)
    counts = [ln.end - ln.start for ln in tapered]
    assert len(counts) == 2 and sum(counts) == 33
    assert counts[0] - counts[1] >= 2 and counts[0] <= 20  # GB/T 9704 §7.3.1: upper line longer
    # a title that fits one line is left alone
    assert len(balanced_lines(prepare("通知", widths("通知"), EM), measure, taper=2 * EM)) == 1


def grid(text: str, measure: float) -> tuple[Prepared, list[Line]]:
    """The gongwen grid's way: no compression, closing marks may hang."""
    p = prepare(text, widths(text), EM, latin_gap=0.0, compress=False, hang=True)
    return p, break_lines(p, measure, measure)


def test_grid_hangs_a_closing_mark_past_a_full_line() -> None:
    # Ten cells fill the line; the comma that may not start line 2 hangs past the edge, so the
    # line keeps all ten characters (Word's 允许标点溢出边界) instead of pushing 十 down.
    p, lines = grid("一二三四五六七八九十，一二三", 100)
    assert [p.text[ln.start : ln.end] for ln in lines] == ["一二三四五六七八九十，", "一二三"]
    assert lines[0].width == 100 and lines[0].spacing == 0
    assert lines[0].hung and not lines[1].hung
    assert set_width(p, lines[0]) == 110  # the mark's cell lies past the measure


def test_grid_hung_mark_starts_at_the_edge_of_a_stretched_line() -> None:
    # 9.5 cells of text, then a comma: the line is justified to 100 and the mark starts at 100.
    p, lines = grid("一二三四五六七八九1，一二三", 100)
    ln = lines[0]
    assert p.text[ln.start : ln.end] == "一二三四五六七八九1，"
    assert ln.spacing > 0
    before = p.text[ln.start : ln.end - 1]
    drawn = sum(widths(before)) + ln.spacing * len(before)
    drawn += sum(k for i, k in ln.kerns if i < ln.end - 1)
    assert abs(drawn - 100) < 1e-6


def test_grid_hangs_one_mark_only() -> None:
    # Two marks after a full line: hanging both is not allowed, so 十 goes down with them.
    p, lines = grid("一二三四五六七八九十。”一二三", 100)
    assert [p.text[ln.start : ln.end] for ln in lines][:1] == ["一二三四五六七八九"]


def test_grid_never_hangs_an_opening_mark_or_a_han_character() -> None:
    p, lines = grid("一二三四五六七八九十“一二三”", 100)
    assert p.text[lines[0].start : lines[0].end] == "一二三四五六七八九十"
    p, lines = grid("一二三四五六七八九十一二", 100)
    assert p.text[lines[0].start : lines[0].end] == "一二三四五六七八九十"


def test_grid_hangs_a_paragraphs_final_mark_instead_of_adding_a_line() -> None:
    p, lines = grid("一二三四五六七八九十。", 100)
    assert len(lines) == 1 and p.text[lines[0].start : lines[0].end] == "一二三四五六七八九十。"


def test_standard_profile_never_hangs() -> None:
    p, lines = lay("一二三四五六七八九十，一二三", 100)
    assert all(set_width(p, ln) <= 100 + 1e-6 for ln in lines)


def test_balanced_title_never_splits_a_number() -> None:
    title = "关于修改若干问题的解释》等二十七件民事类司法解释的决定"
    p = prepare(title, widths(title), EM)
    for measure in range(14, 27):
        lines = balanced_lines(p, measure * EM, taper=2 * EM)
        parts = [title[ln.start : ln.end] for ln in lines]
        assert "".join(parts) == title
        assert all(not (a.endswith(("二", "二十")) and b.startswith(("十", "七"))) for a, b in
                   itertools.pairwise(parts)), parts  # fmt: skip


def test_opening_mark_before_a_space_does_not_end_a_line() -> None:
    p, lines = lay("111————《 《", 80)  # found by hypothesis: 《 then a space then a break
    assert all(p.text[ln.start : ln.end].rstrip()[-1:] != "《" for ln in lines[:-1])


def test_title_breaks_keep_words_the_document_uses() -> None:
    title = "春夏秋冬东西南北天标准上下左右前后内外地"  # 20 characters: halves split 标|准
    p = prepare(title, widths(title), EM)
    plain_split = balanced_lines(p, 12 * EM)
    first = plain_split[0]
    assert title[first.start : first.end].endswith("标")
    costs = title_break_costs(title, "执行标准。" * 20)  # 标准 is a word of this document
    lines = balanced_lines(p, 12 * EM, costs=costs)
    parts = [title[ln.start : ln.end] for ln in lines]
    assert "".join(parts) == title and len(parts) == 2
    assert not parts[0].endswith("标"), parts
    assert all(ln.width <= 12 * EM for ln in lines)


def test_title_breaks_prefer_marks_and_guanyu() -> None:
    costs = title_break_costs("最高人民检察院关于检察工作的通知", "")
    assert costs[7] < 0 and costs[9] < 0  # before and after 关于
    costs = title_break_costs("标准的，可要求", "标准" * 5)
    assert costs[1] > 0 and costs[4] < 0  # inside 标准; after the comma
    # The title repeated in the text says nothing about its words.
    title = "食品安全标准的规定"
    assert title_break_costs(title, (title + "。") * 9) == title_break_costs(title, "")


def test_balanced_title_keeps_ordinals_and_measure_words() -> None:
    text = "最高人民检察院第八届检察委员会第七十四次会议通过"
    p = prepare(text, widths(text), EM)
    for measure in range(10, 24):
        parts = [text[ln.start : ln.end] for ln in balanced_lines(p, measure * EM)]
        joins = {a[-1] + b[0] for a, b in itertools.pairwise(parts)}
        assert not joins & {"第八", "八届", "第七", "七十", "十四", "四次"}, parts


def test_fullwidth_full_stop_never_starts_a_line() -> None:
    # U+FF0E ． serves as 。 in many e-texts (红楼梦 here): like 。 it may not start a line.
    for measure in range(40, 120, 10):
        p, lines = lay("一二三四五六七八九十．" * 6, measure)
        assert all(p.text[ln.start] != "．" for ln in lines[1:]), measure


def test_straight_quotes_pair_up_as_opening_and_closing() -> None:
    # e-texts (红楼梦 here) use ASCII " for both “ and ”: odd ones open, even ones close.
    text = '故曰"甄士隐"云云，又曰"贾雨村"云云。' * 6 + "don't stop 'here' now"
    closing = {i for k, i in enumerate(m.start() for m in re.finditer('"', text)) if k % 2}
    opening = {m.start() for m in re.finditer('"', text)} - closing
    opening.add(text.index("'here"))  # the apostrophe of don't is not a quote
    for measure in range(30, 150, 5):
        p, lines = lay(text, measure)
        for ln in lines[1:]:
            assert ln.start not in closing, (measure, p.text[ln.start : ln.end])
        for ln in lines[:-1]:
            end = ln.end - 1
            while p.text[end] == " ":
                end -= 1
            assert end not in opening, (measure, p.text[ln.start : ln.end])
