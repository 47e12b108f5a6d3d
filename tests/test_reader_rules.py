"""Structure rules one by one: each on a tiny hand-made input where it fires and where it must not."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exporter.model import (
    Addressee,
    Attachments,
    Block,
    Boilerplate,
    Break,
    Byline,
    CodeBlock,
    Contents,
    DocNumber,
    Heading,
    Lead,
    ListBlock,
    Paragraph,
    Quote,
    Records,
    Signature,
    Subtitle,
    Title,
    Verse,
    block_texts,
    plain,
    text_of,
)
from exporter.reader import read_path, read_text
from exporter.reader.frontmatter import front_matter
from exporter.reader.normalize import PAGE_BREAK_MARK, normalise
from exporter.reader.structure import (
    attachments,
    body,
    code,
    contents,
    head,
    headings,
    items,
    markdown,
    verse,
)
from exporter.reader.structure.body import RULES, Rule, parse_body
from exporter.reader.structure.draft import Body, Draft
from exporter.reader.structure.language import detect_language
from exporter.reader.structure.parse import parse_lines
from exporter.reader.structure.ranks import RANK, RankedHeading, assign_levels
from exporter.reader.structure.shapes import iso_date, ordinal_value, quoted_lines
from exporter.reader.structure.signature import signature, tail
from exporter.reader.structure.units import VERBATIM, units_of, wrap_width


def run(rule: Rule, lines: list[str], i: int = 0) -> tuple[int | None, Draft]:
    """Apply one rule to unit ``i`` of the units made from ``lines``."""
    draft = Draft()
    units = units_of(lines)
    got = rule(Body(units, draft, has_articles=False), i)
    return got, draft


def only(draft: Draft) -> object:
    assert len(draft.blocks) == 1, draft.blocks
    return draft.blocks[0]


def declines(rule: Rule, lines: list[str], i: int = 0) -> None:
    got, draft = run(rule, lines, i)
    assert got is None
    assert draft.blocks == [] and draft.dropped == []


# --- body rules --------------------------------------------------------------------------------


def test_page_break() -> None:
    got, draft = run(body.page_break, ["前文", PAGE_BREAK_MARK, "后文"], 1)
    assert got == 2 and only(draft) == Break("page")
    declines(body.page_break, ["前文"])


def test_code_block_keeps_lines_and_drops_fences() -> None:
    got, draft = run(code.code_block, ["```", "  a = 1", "b", "```", "正文"])
    assert got == 4
    assert only(draft) == CodeBlock("  a = 1\nb")
    assert draft.dropped == ["```", "```"]
    declines(code.code_block, ["  a = 1"])


def test_a_fence_takes_a_language_tag_but_no_text() -> None:
    parsed = parse_lines(["标题", "", "```python", "a = 1", "~~~~", "", "```第一条　条文。"])
    assert parsed.blocks == (
        Title(plain("标题")),
        CodeBlock("a = 1"),
        Paragraph(plain("```第一条　条文。")),  # text after a fence mark is kept, not dropped
    )
    assert parsed.dropped == ("```python", "~~~~")


def test_contents_run_before_the_chapters() -> None:
    lines = ["第一回 甲", "第二回 乙", "第三回 丙", "第四回 丁", "", "第一回 甲", "", "正文"]
    got, draft = run(contents.contents, lines)
    assert got == 4 and isinstance(only(draft), Contents)


def test_contents_needs_four_entries_and_no_chapter_before() -> None:
    declines(contents.contents, ["第一回 甲", "第二回 乙", "第三回 丙"])
    b = Body(units_of(["第一回 甲", "第二回 乙", "第三回 丙", "第四回 丁"]), Draft())
    b.chapters_begun = True
    assert contents.contents(b, 0) is None and b.draft.blocks == []


def test_contents_marks_the_chapters_begun() -> None:
    b = Body(units_of(["第一章 总则", "", "正文"]), Draft())
    assert contents.contents(b, 0) is None
    assert b.chapters_begun


def test_chapter() -> None:
    got, draft = run(headings.chapter, ["第三章 国家机构"])
    assert got == 1 and only(draft) == RankedHeading(RANK["章"], "第三章", plain("国家机构"))
    declines(headings.chapter, ["第三章 " + "长" * 61])  # too long for a heading
    declines(headings.chapter, ["第三条 公民有劳动的权利。"])  # an article, not a chapter


def test_article_runs_its_text_in() -> None:
    got, draft = run(headings.article, ["第二条 国徽是国家的象征。"])
    assert got == 1
    assert only(draft) == RankedHeading(RANK["条"], "第二条", (), plain("国徽是国家的象征。"))
    _, draft = run(headings.article, ["第十条 （删除）"])
    assert only(draft) == RankedHeading(RANK["条"], "第十条", plain("（删除）"))
    declines(headings.article, ["第二章 总则"])


def test_prologue() -> None:
    got, draft = run(headings.prologue, ["楔子"])
    assert got == 1 and only(draft) == RankedHeading(RANK["prologue"], "楔子", ())
    declines(headings.prologue, ["前文", "楔子 一段"], 1)  # not at a group's start
    declines(headings.prologue, ["序言 " + "字" * 40])  # prose opening with the word


def test_markdown_heading_drops_its_marks() -> None:
    got, draft = run(markdown.heading, ["## 安装"])
    assert got == 1 and only(draft) == RankedHeading(RANK["md2"], "", plain("安装"))
    assert draft.dropped == ["##"]
    declines(markdown.heading, ["#标签 不是标题"])


def test_attachment_note_lists_its_items() -> None:
    got, draft = run(attachments.attachments, ["附件：1. 甲表", "2. 乙表", "正文"])
    assert got == 2
    block = only(draft)
    assert isinstance(block, Attachments) and block.label == "附件："
    assert [i.marker for i in block.items] == ["1.", "2."]


def test_numbered_attachment_label_lists_nothing_under_it() -> None:
    got, draft = run(attachments.attachments, ["附件1", "1. 第一项"])
    assert got == 1 and only(draft) == Attachments("附件1", ())
    declines(attachments.attachments, ["附件：" + "说" * 60 + "。"])  # a sentence, not a name
    declines(attachments.attachments, ["附加说明"])


def test_gongwen_ordinal_heading_and_run_in() -> None:
    _, draft = run(headings.gongwen_ordinal, ["一、总体要求"])
    assert only(draft) == RankedHeading(RANK["cn"], "一、", plain("总体要求"), ())
    _, draft = run(headings.gongwen_ordinal, ["（一）加强领导。各地要落实责任。"])
    assert only(draft) == RankedHeading(
        RANK["pcn"], "（一）", plain("加强领导。"), plain("各地要落实责任。")
    )


def test_gongwen_ordinal_declines_long_sentences_and_laws() -> None:
    declines(headings.gongwen_ordinal, ["1. 这是一个很长的句子，" + "中间没有句号" * 10 + "；"])
    b = Body(units_of(["一、总体要求"]), Draft(), has_articles=True)
    assert headings.gongwen_ordinal(b, 0) is None


@pytest.mark.parametrize(
    ("rest", "parts"),
    [
        ("总体要求", ("总体要求", "")),
        ("加强领导。各地要落实责任。", ("加强领导。", "各地要落实责任。")),
        ("坚持稳中求进。", ("坚持稳中求进。", "")),
        ("甲，乙；", None),
    ],
)
def test_heading_parts(rest: str, parts: tuple[str, str] | None) -> None:
    assert headings.heading_parts(rest) == parts


def test_news_item_with_byline_and_lead() -> None:
    lines = ["两国签署协议", "作者：张三", "新华社北京3月6日电 两国今天签署协议。"]
    got, draft = run(items.news_item, lines)
    assert got == 3
    assert draft.blocks[0] == RankedHeading(RANK["item"], "", plain("两国签署协议"))
    assert draft.blocks[1] == Byline(plain("作者：张三"))
    assert isinstance(draft.blocks[2], Lead) and draft.blocks[2].dateline == "新华社北京3月6日电"
    declines(items.news_item, ["两国签署协议", "今天上午，两国签署协议。"])


def test_bullet_list() -> None:
    got, draft = run(markdown.bullet_list, ["- 甲", "- 乙", "正文"])
    assert got == 2
    block = only(draft)
    assert isinstance(block, ListBlock) and not block.ordered and len(block.items) == 2
    declines(markdown.bullet_list, ["- 一条", "正文"])  # one marked line is no list
    declines(markdown.bullet_list, ["1. 甲", "2. 乙"])  # the gongwen ordinal 1. is not a list


def test_quote_drops_its_mark() -> None:
    got, draft = run(markdown.quote, ["> 引文"])
    assert got == 1 and only(draft) == Quote(plain("引文")) and draft.dropped == [">"]
    declines(markdown.quote, [">不是引文"])


def test_section_name_for_a_named_part() -> None:
    got, draft = run(headings.section_name, ["学而篇", "", "子曰：学而时习之。"])
    assert got == 1 and only(draft) == RankedHeading(RANK["篇"], "", plain("学而篇"))


def test_section_name_above_a_titled_poem() -> None:
    lines = ["五言絕句", "", "靜夜思", "床前明月光，", "疑是地上霜。"]
    got, draft = run(headings.section_name, lines)
    assert got == 1 and only(draft) == RankedHeading(RANK["anthology"], "", plain("五言絕句"))
    declines(headings.section_name, ["五言絕句", "", "正文一段，不是诗。"])
    declines(headings.section_name, ["学而篇", "子曰"])  # not alone in its group


def test_verse_with_title_and_author() -> None:
    lines = ["静夜思", "李白", "床前明月光，", "疑是地上霜。", "", "正文"]
    got, draft = run(verse.verse, lines)
    assert got == 4
    assert draft.blocks[0] == RankedHeading(RANK["poem"], "", plain("静夜思"))
    assert draft.blocks[1] == Byline(plain("李白"))
    assert isinstance(draft.blocks[2], Verse) and len(draft.blocks[2].lines) == 2


def test_verse_declines_prose() -> None:
    declines(verse.verse, ["他说：“走吧。”", "我们就走了，一直走到天黑才停下来歇脚" * 4 + "。"])
    declines(verse.verse, ["床前明月光，", "疑是地上霜。"], 1)  # not at a group's start


def test_verse_line_allows_a_variant_note() -> None:
    assert verse.verse_like("花開日，(一作：花開夜)")
    assert not verse.verse_like("没有标点的一行")


def test_paragraph_always_claims() -> None:
    got, draft = run(body.paragraph, ["随便一行"])
    assert got == 1 and only(draft) == Paragraph(plain("随便一行"))


def test_driver_tries_rules_in_order() -> None:
    """The first rule that claims a unit wins: a chapter line before a contents run."""
    draft = Draft()
    parse_body(units_of(["第一章 总则", "", "正文。"]), draft)
    assert isinstance(draft.blocks[0], RankedHeading) and isinstance(draft.blocks[1], Paragraph)
    draft = Draft()
    parse_body(units_of(["第一章 总则"]), draft, rules=(body.paragraph,))
    assert draft.blocks == [Paragraph(plain("第一章 总则"))]
    assert RULES[-1] is body.paragraph


def test_law_turns_ordinals_into_paragraphs() -> None:
    draft = Draft()
    parse_body(units_of(["第一条 本法规定。", "（一）第一项；"]), draft)
    assert isinstance(draft.blocks[1], Paragraph)


# --- head --------------------------------------------------------------------------------------


def head_of(lines: list[str]) -> tuple[int, Draft]:
    draft = Draft()
    return head.parse_head(units_of(lines), draft), draft


def test_doc_number() -> None:
    i, draft = head_of(["国发〔2020〕5号", "", "关于某事的通知", "", "正文。"])
    assert draft.blocks[0] == DocNumber("国发〔2020〕5号")
    assert draft.found.document_number == "国发〔2020〕5号" and i == 2
    _, draft = head_of(["国发2020年5号文件说明", "正文。"])
    assert not any(isinstance(b, DocNumber) for b in draft.blocks)


def test_title_and_its_limits() -> None:
    i, draft = head_of(["关于某事的通知", "", "正文。"])
    assert draft.blocks == [Title(plain("关于某事的通知"))] and i == 1
    assert draft.found.title == "关于某事的通知"
    for lines in (
        ["这是一句话。后面还有。", "正文"],  # a sentence
        ["\u3000\u3000缩进的一行", "正文"],  # a paragraph's indent
        ["第一章 总则", "正文"],  # a chapter
        ["题" * 61, "正文"],  # too long when text follows directly
    ):
        i, draft = head_of(lines)
        assert i == 0 and draft.blocks == [] and draft.found.title == "", lines
    i, draft = head_of(["题" * 61, "", "正文"])  # set apart: may run longer
    assert isinstance(draft.blocks[0], Title)


def test_title_broken_over_two_lines() -> None:
    _, draft = head_of(["国务院关于", "加强安全生产工作的通知", "", "正文。"])
    assert draft.blocks == [Title(plain("国务院关于加强安全生产工作的通知"))]
    _, draft = head_of(["国务院通知", "安全生产工作", "", "正文。"])
    assert draft.blocks[0] == Title(plain("国务院通知"))


def test_poem_opening_the_file_is_not_a_title() -> None:
    lines = ["静夜思", "床前明月光，", "疑是地上霜。", "举头望明月，", "低头思故乡。"]
    i, draft = head_of(lines)
    assert i == 0 and draft.blocks == [] and draft.found.title == "静夜思"


def test_subtitle() -> None:
    _, draft = head_of(["政府工作报告", "——2026年1月在大会上", "", "正文。"])
    assert draft.blocks[1] == Subtitle(plain("——2026年1月在大会上"))
    assert draft.found.subtitle == "——2026年1月在大会上"
    _, draft = head_of(["政府工作报告", "", "各位代表：", "正文。"])
    assert not any(isinstance(b, Subtitle) for b in draft.blocks)


def test_bylines_give_metadata() -> None:
    _, draft = head_of(["标题", "作者：张三、李四", "时间：2020-03-06", "", "正文。"])
    assert [type(b) for b in draft.blocks] == [Title, Byline, Byline]
    assert draft.found.authors == ["张三", "李四"] and draft.found.date == "2020-03-06"
    _, draft = head_of(["标题", "", "作者说了很多话，这不是署名。"])
    assert not any(isinstance(b, Byline) for b in draft.blocks)


def test_office_bylines_and_adoption_records() -> None:
    _, draft = head_of(["政府工作报告", "", "广东省省长 孟凡利", "正文。"])
    assert draft.blocks[1] == Byline(plain("广东省省长 孟凡利"))
    _, draft = head_of(["某法", "", "（2020年10月17日第十三届全国人大常委会通过）", "正文。"])
    assert draft.blocks[1] == Records((plain("（2020年10月17日第十三届全国人大常委会通过）"),))


def test_addressee() -> None:
    _, draft = head_of(["关于某事的通知", "", "各省、自治区人民政府：", "正文。"])
    assert draft.blocks[1] == Addressee(plain("各省、自治区人民政府："))
    _, draft = head_of(["关于某事的通知", "", "他说：", "正文。"])
    assert not any(isinstance(b, Addressee) for b in draft.blocks)


def test_lead_with_dateline() -> None:
    _, draft = head_of(["标题", "", "新华社北京3月6日电 今天召开会议。"])
    lead = draft.blocks[1]
    assert isinstance(lead, Lead) and lead.dateline == "新华社北京3月6日电"
    assert text_of(lead.content) == "今天召开会议。"
    assert draft.found.source == "新华社" and draft.found.place == "北京"
    _, draft = head_of(["标题", "", "今天召开会议。"])
    assert not any(isinstance(b, Lead) for b in draft.blocks)


# --- tail, post passes, lines ------------------------------------------------------------------


def test_signature_tail() -> None:
    units = units_of(["正文。", "最高人民检察院", "1997年10月6日"])
    found = tail(units)
    assert [u.text for u in found] == ["最高人民检察院", "1997年10月6日"]
    assert signature(found) == [Signature(("最高人民检察院",), "1997年10月6日")]
    assert tail(units_of(["正文。", "最高人民检察院"])) == []  # no date line at the end
    assert [u.text for u in tail(units_of(["他走了。", "1997年10月6日"]))] == ["1997年10月6日"]


def test_first_item_too_makes_the_head_title_an_item() -> None:
    draft = Draft(
        [
            Title(plain("第一篇报道的标题")),
            Byline(plain("作者：甲")),
            Paragraph(plain("正文")),
            RankedHeading(RANK["item"], "", plain("第二篇")),
        ]
    )
    items.first_item_too(draft)
    assert draft.blocks[0] == RankedHeading(RANK["item"], "", plain("第一篇报道的标题"))
    untouched = Draft([Title(plain("标题")), Paragraph(plain("正文"))])
    items.first_item_too(untouched)
    assert untouched.blocks[0] == Title(plain("标题"))


def test_first_item_too_promotes_a_scraped_page_title() -> None:
    draft = Draft(
        [
            Title(plain("下载")),
            Subtitle(plain("打印")),
            RankedHeading(RANK["item"], "", plain("真正的标题")),
            Byline(plain("来源：某网")),
        ]
    )
    items.first_item_too(draft)
    assert draft.blocks[:3] == [
        Paragraph(plain("下载")),
        Paragraph(plain("打印")),
        Title(plain("真正的标题")),
    ]
    assert draft.found.title == "真正的标题"


def test_assign_levels_are_dense() -> None:
    blocks = assign_levels(
        [
            RankedHeading(RANK["章"], "第一章", plain("甲")),
            RankedHeading(RANK["条"], "第一条", (), plain("乙")),
            Paragraph(plain("丙")),
        ]
    )
    assert blocks[0] == Heading(1, "第一章", plain("甲"))
    assert blocks[1] == Heading(2, "第一条", (), plain("乙"))
    assert blocks[2] == Paragraph(plain("丙"))


def test_units_group_and_verbatim() -> None:
    units = units_of(["甲", "乙", "", "丙", "```", "x", "```"])
    assert [(u.text, u.group, u.group_start) for u in units[:3]] == [
        ("甲", 0, True),
        ("乙", 0, False),
        ("丙", 1, True),
    ]
    assert [u.indent for u in units[3:]] == [VERBATIM] * 3


def test_indent_mode_joins_unindented_lines() -> None:
    lines = [
        "\u3000\u3000第一段开头",
        "接着写",
        "\u3000\u3000第二段",
        "\u3000\u3000第三段",
        "1997年10月6日",
    ]
    units = units_of(lines)
    assert [u.text for u in units] == ["第一段开头接着写", "第二段", "第三段", "1997年10月6日"]


def test_wrap_width_found_and_verse_refused() -> None:
    wrapped = ["这" * 20] * 12 + ["末行。"]
    assert wrap_width(wrapped) == 40
    assert [u.text for u in units_of(wrapped)] == ["这" * 240 + "末行。"]
    verse_lines = ["人之初，性本善。性相近，習相遠。"] * 12
    assert wrap_width(verse_lines) is None
    assert wrap_width(["这" * 20] * 11) is None  # too few lines to tell


def test_setext_underline_dropped() -> None:
    dropped: list[str] = []
    assert markdown.drop_setext(["标题", "====", "", "---"], dropped) == ["标题", "", "---"]
    assert dropped == ["===="]


def test_detect_language() -> None:
    assert detect_language("這個國家的經濟發展還會對時代說話") == "zh-TW"
    assert detect_language("这个国家的经济发展还会对时代说话") == "zh-CN"
    assert detect_language("國家") == "zh-CN"  # too few to tell: the default


def test_front_matter() -> None:
    values, rest, dropped = front_matter(["---", "title: 书名", "---", "正文"])
    assert values == {"title": "书名"} and rest == ["正文"] and len(dropped) == 3
    lines = ["---", "不是键值", "---", "正文"]
    assert front_matter(lines) == ({}, lines, [])


def test_parse_lines_end_to_end() -> None:
    parsed = parse_lines(["关于某事的通知", "", "一、总体要求", "正文。", "某某局", "2020年1月2日"])
    kinds = [type(b).__name__ for b in parsed.blocks]
    assert kinds == ["Title", "Heading", "Paragraph", "Signature"]
    assert parsed.found.title == "关于某事的通知"


_TEXT_LINES = ["国发〔2020〕5号", "关于某事的通知", "——副题", "作者：张三", "各部门：", "　　正文。",
               "一、总体要求", "第一条　条文。", "附件1", "床前明月光，", "疑是地上霜。", "某某办公室",
               "2020年3月6日"]  # fmt: skip


@pytest.mark.parametrize("at", range(len(_TEXT_LINES) + 1))
def test_a_page_break_is_a_break_wherever_it_stands(at: int) -> None:
    lines = [*_TEXT_LINES[:at], PAGE_BREAK_MARK, *_TEXT_LINES[at:]]
    parsed = parse_lines(lines)
    assert PAGE_BREAK_MARK not in parsed.found.title
    for b in parsed.blocks:
        assert all(PAGE_BREAK_MARK not in t for t in block_texts(b)), b
        if isinstance(b, Signature):
            assert all(s.strip() for s in b.signers)
    breaks = sum(isinstance(b, Break) for b in parsed.blocks)
    # Only a break before any text is dropped (reported); everywhere else it is a Break block.
    assert (breaks, list(parsed.dropped).count(PAGE_BREAK_MARK)) == ((0, 1) if at == 0 else (1, 0))


def test_a_page_break_between_signer_and_date_splits_the_signature() -> None:
    parsed = parse_lines(
        ["标题", "", "　　正文。", "", "某某办公室", PAGE_BREAK_MARK, "2020年3月6日"]
    )
    kinds = [type(b).__name__ for b in parsed.blocks]
    assert kinds == ["Title", "Paragraph", "Paragraph", "Break", "Signature"]
    sig = parsed.blocks[-1]
    assert isinstance(sig, Signature) and sig.signers == () and sig.date == "2020年3月6日"


def test_a_page_break_ends_a_poem_group() -> None:
    parsed = parse_lines(["静夜思", "", "床前明月光，", "疑是地上霜。", PAGE_BREAK_MARK, "正文。"])
    kinds = [type(b).__name__ for b in parsed.blocks]
    assert kinds == ["Title", "Verse", "Break", "Paragraph"]


def test_page_breaks_at_the_ends_are_removed_and_counted() -> None:
    norm = normalise("\f\n\n\f\n\f\n标题\n\f\n正文\n\f\n\n")
    assert norm.lines == ["", "标题", PAGE_BREAK_MARK, "正文"]
    assert norm.removed_controls == 4 and norm.removed_text == ["\f"] * 4


# --- documents nobody tuned the reader for (tests/fixtures/structure) --------------------------

STRUCTURE = Path(__file__).parent / "fixtures" / "structure"


def blocks_of(name: str) -> tuple[Block, ...]:
    return read_path(STRUCTURE / name).document.blocks


def headings_of(name: str) -> list[tuple[int, str]]:
    return [(b.level, text_of(b.content)) for b in blocks_of(name) if isinstance(b, Heading)]


def test_a_part_heading_after_adoption_records_is_a_heading() -> None:
    blocks = blocks_of("law_part_after_adoption.txt")
    assert [type(b) for b in blocks[:2]] == [Title, Records]
    assert isinstance(blocks[1], Records) and len(blocks[1].lines) == 12
    heads = [b for b in blocks if isinstance(b, Heading)]
    assert [(h.level, h.number) for h in heads] == [
        (1, "第一编"), (2, "第一章"), (3, "第一条"), (1, "第二编"), (2, "第二章"), (3, "第二条"),
    ]  # fmt: skip


@pytest.mark.parametrize("text", ["第一编 总则", "第三章 附则", "第二节 一般规定", "第五回 某某"])
def test_a_division_line_is_never_a_byline(text: str) -> None:
    _, draft = head_of(["某某法", "", "1997年3月14日 第八届全国人民代表大会第五次会议修订", text])
    assert not any(isinstance(b, Byline) and text_of(b.content) == text for b in draft.blocks)


@pytest.mark.parametrize(
    ("name", "addressee"),
    [
        ("notice_addressee_short.txt", "各科室："),
        ("notice_addressee_counties.txt", "各县（市、区）人民政府，市政府各部门："),
    ],
)
def test_addressee_of_a_short_notice(name: str, addressee: str) -> None:
    found = [b for b in blocks_of(name) if isinstance(b, Addressee)]
    assert found == [Addressee(plain(addressee))]


@pytest.mark.parametrize("line", ["各科室：", "全体教职工：", "市直各单位："])
def test_a_short_colon_line_under_the_title_is_the_addressee(line: str) -> None:
    _, draft = head_of(["关于某事的通知", "", line, "正文。"])
    assert draft.blocks[1] == Addressee(plain(line))


@pytest.mark.parametrize(
    "line",
    [
        "现将有关事项通知如下：",
        "他说：",
        "经研究。决定如下：",
        "为做好工作，根据有关规定，现就有关事项通知如下：",
    ],
)
def test_a_sentence_ending_in_a_colon_is_no_addressee(line: str) -> None:
    _, draft = head_of(["关于某事的通知", "", line, "正文。"])
    assert not any(isinstance(b, Addressee) for b in draft.blocks)


def test_quoted_and_out_of_sequence_ordinals_stay_paragraphs() -> None:
    heads = headings_of("amendment_quoted_ordinals.txt")
    # 1.删去第五条。 is an amendment clause with nothing under it (the text ends): a paragraph.
    assert heads == [(1, "修改某解释"), (1, "修改另一解释")]


def test_an_ordinal_inside_an_open_quote_is_a_paragraph() -> None:
    draft = Draft()
    parse_body(
        units_of(["将第十条修改为：", "“第一句：", "（一）约定甲。", "（二）约定乙。”"]), draft
    )
    assert all(isinstance(b, Paragraph) for b in draft.blocks)
    draft = Draft()
    parse_body(units_of(["“一、总体要求", "二、主要任务"]), draft)
    assert all(isinstance(b, Paragraph) for b in draft.blocks)


def test_an_ordinal_out_of_sequence_is_a_paragraph() -> None:
    draft = Draft()
    parse_body(
        units_of(
            ["一、总体要求", "（一）指导思想", "（三）工作目标", "二、主要任务", "（一）任务"]
        ),
        draft,
    )
    kinds = [type(b).__name__ for b in draft.blocks]
    assert kinds == [
        "RankedHeading",
        "RankedHeading",
        "Paragraph",
        "RankedHeading",
        "RankedHeading",
    ]


def test_an_addressee_right_under_the_document_number() -> None:
    i, draft = head_of(["某府办〔2024〕3号", "各科室：", "　　现将有关事项通知如下。"])
    assert draft.blocks == [DocNumber("某府办〔2024〕3号"), Addressee(plain("各科室："))] and i == 2


def test_quoted_lines_and_a_stray_quote() -> None:
    assert quoted_lines(["改为：“甲", "（一）乙", "丙。”", "（二）丁"]) == [
        False,
        True,
        True,
        False,
    ]
    assert quoted_lines(["“一段", "“二段。”", "三"]) == [True, True, False]
    assert quoted_lines(["他说“没完", "一、总体要求", "“引文"]) == [False, False, True]


@pytest.mark.parametrize(
    ("num", "value"),
    [("一、", 1), ("（十二）", 12), ("二十一、", 21), ("3.", 3), ("（10）", 10), ("一百、", None)],
)
def test_ordinal_value(num: str, value: int | None) -> None:
    assert ordinal_value(num) == value


@pytest.mark.parametrize(
    "line", ["======", "-----", "* * *", "※※※", "＊＊＊", "———", "─────", "～～～", "＊　＊　＊"]
)
def test_a_separator_line_alone_is_a_thematic_break_with_its_characters(line: str) -> None:
    from exporter.model import Rule as RuleBlock

    parsed = parse_lines(["标题", "", "　　第一段正文。", "", line, "", "　　第二段正文。"])
    assert [type(b).__name__ for b in parsed.blocks] == [
        "Title",
        "Paragraph",
        "Rule",
        "Paragraph",
    ]
    assert parsed.blocks[2] == RuleBlock(line)
    assert line not in parsed.dropped  # kept in the model, so not reported as dropped


@pytest.mark.parametrize("line", ["==", "=-=", "*-*-*", "。。。", "——测试"])
def test_short_or_mixed_lines_are_not_separators(line: str) -> None:
    parsed = parse_lines(["标题", "", "　　第一段正文。", "", line, "", "　　第二段正文。"])
    assert "Rule" not in [type(b).__name__ for b in parsed.blocks]


def test_an_underline_stays_setext_and_separators_at_the_ends_are_breaks() -> None:
    parsed = parse_lines(["标题", "", "第一章", "=====", "", "　　正文。", "", "※※※"])
    kinds = [type(b).__name__ for b in parsed.blocks]
    assert kinds == ["Title", "Heading", "Paragraph", "Rule"]
    assert parsed.dropped == ("=====",)  # the underline is markup taken out


def test_separators_around_the_signature_do_not_hide_it() -> None:
    parsed = parse_lines(
        ["标题", "", "　　正文。", "", "※※※", "", "某某单位", "2024年1月2日", "", "------"]
    )
    kinds = [type(b).__name__ for b in parsed.blocks]
    assert kinds == ["Title", "Paragraph", "Rule", "Signature", "Rule"]
    sig = parsed.blocks[3]
    assert isinstance(sig, Signature) and sig.signers == ("某某单位",)


def test_a_separator_above_the_title_is_a_rule_and_the_title_is_found() -> None:
    doc = read_text("※※※※※※\n\n标题在这里\n\n　　正文一段。\n").document
    assert [type(b).__name__ for b in doc.blocks] == ["Rule", "Title", "Paragraph"]
    assert doc.meta.title == "标题在这里"


def test_a_dash_separator_set_apart_under_the_title_is_no_subtitle() -> None:
    doc = read_text("标题在这里\n\n————————\n\n　　正文一段。\n").document
    assert [type(b).__name__ for b in doc.blocks] == ["Title", "Rule", "Paragraph"]
    assert doc.meta.subtitle == ""


def test_separator_rules_are_reported_as_kept_markup() -> None:
    from exporter import diagnostics

    with diagnostics.collect() as found:
        read_text("标题\n\n　　正文。\n\n* * *\n\n　　又一段。\n")
    codes = [(d.code, d.data.get("count")) for d in found]
    assert ("separator-rules", 1) in codes


def test_traditional_law_articles_with_captions_spaces_and_arabic_digits() -> None:
    text = (
        "公文程式條例\n\n第一條 (公文之定義)\n稱公文者，謂處理公務之文書。\n\n"
        "第 3 條\n公文得分為令、呈。\n\n第4條 本條例自公布日施行。\n"
    )
    heads = [b for b in read_text(text).document.blocks if isinstance(b, Heading)]
    assert [h.number for h in heads] == ["第一條", "第 3 條", "第4條"]
    assert len({h.level for h in heads}) == 1  # one consistent level


def test_volumes_and_prefaces_of_a_book_are_headings() -> None:
    text = "書名\n\n卷一\n\n　　正文。\n\n序\n\n　　序文。\n\n第一回　開篇\n\n　　正文三。\n"
    heads = [b for b in read_text(text).document.blocks if isinstance(b, Heading)]
    assert [h.number for h in heads] == ["卷一", "序", "第一回"]
    assert heads[0].level < heads[2].level  # a volume holds its chapters
    assert heads[1].level == heads[2].level  # a preface stands where a chapter would


# -- issue 14: boilerplate, pre-formatted text, items, dates, titled pieces --------------------


def kinds_of(lines: list[str]) -> list[str]:
    return [type(b).__name__ for b in parse_lines(lines).blocks]


def test_page_controls_above_the_title_are_boilerplate_and_the_title_is_found_below() -> None:
    parsed = parse_lines(["【打印】【关闭】", "字号：大 中 小", "关于某事的通知", "", "　　正文。"])
    assert parsed.blocks[0] == Boilerplate(("【打印】【关闭】", "字号：大 中 小"))
    assert isinstance(parsed.blocks[1], Title) and parsed.found.title == "关于某事的通知"


LONG = (
    "各地区各部门认真贯彻落实党中央决策部署，统筹推进各项工作，取得了新的进展和成效，"
    "群众获得感不断增强，发展基础更加牢固，各项事业全面进步。"
)


def test_site_labels_and_a_list_of_links_at_the_end_are_boilerplate() -> None:
    parsed = parse_lines(
        [
            "标题",
            "",
            "　　" + LONG,
            "　　" + LONG,
            "（责任编辑：张三）",
            "分享到：",
            "相关报道：",
            "某地召开会议",
            "某项工作取得进展",
            "版权所有 某某网站 京ICP备12345678号",
        ]
    )
    assert parsed.blocks[-1] == Boilerplate(
        (
            "（责任编辑：张三）",
            "分享到：",
            "相关报道：",
            "某地召开会议",
            "某项工作取得进展",
            "版权所有 某某网站 京ICP备12345678号",
        )
    )
    assert [type(b).__name__ for b in parsed.blocks[1:-1]] == ["Paragraph", "Paragraph"]


@pytest.mark.parametrize(
    "lines",
    [
        ["标题", "", "来源于基层的经验值得推广。", "", "　　正文。"],  # 来源 without a colon: text
        ["标题", "", "　　他说：打印机坏了。", "", "　　正文。"],
        ["标题", "", "　　相关报道：今天发布。"],  # a sentence, not a list's label
    ],
)
def test_text_that_starts_like_furniture_stays_text(lines: list[str]) -> None:
    assert "Boilerplate" not in kinds_of(lines)


def test_furniture_under_an_indented_paragraph_is_not_joined_to_it() -> None:
    # Indent mode: an unindented line continues the paragraph above, unless it is furniture.
    parsed = parse_lines(
        ["标题", "", *["　　" + LONG] * 5, "　　" + LONG[:30], LONG[30:], "责任编辑：李四"]
    )
    assert parsed.blocks[-1] == Boilerplate(("责任编辑：李四",))
    assert parsed.blocks[-2] == Paragraph(plain(LONG))


def test_a_source_line_in_the_head_stays_a_byline() -> None:
    parsed = parse_lines(["标题", "来源：人民日报", "", "　　正文。"])
    assert [type(b).__name__ for b in parsed.blocks] == ["Title", "Byline", "Paragraph"]


def test_indented_command_lines_and_an_ascii_table_are_preformatted() -> None:
    parsed = parse_lines(
        [
            "安装",
            "",
            "运行下面的命令：",
            "",
            "    pip install exporter",
            "        exporter convert 文件.txt --to pdf",
            "",
            "    # 第二步",
            "    exporter --help",
            "",
            "+------+------+",
            "| 名称 | 数量 |",
            "+------+------+",
            "",
            "完成。",
        ]
    )
    codes = [b for b in parsed.blocks if isinstance(b, CodeBlock)]
    # Runs split only by a blank line are one block; the common indent goes, the rest stays.
    assert codes == [
        CodeBlock(
            "pip install exporter\n    exporter convert 文件.txt --to pdf\n\n# 第二步\nexporter --help"
        ),
        CodeBlock("+------+------+\n| 名称 | 数量 |\n+------+------+"),
    ]
    assert not any(isinstance(b, Addressee) for b in parsed.blocks)  # 运行下面的命令： leads in


@pytest.mark.parametrize(
    "lines",
    [
        # A novel indented with four ASCII spaces: prose, not code.
        ["    话说天下大势，分久必合，合久必分。", "", "    却说张飞拍马赶到关下。"],
        # A scraped chapter head with its upload time: digits are not code.
        ["    正文 第一回 宴桃园豪杰三结义", "    更新时间:2007-11-16 7:55:51 本章字数:4804"],
        # Records with tab-separated fields.
        ["\t奖次：一等奖\t项目：消息\t题目：某某报道"],
    ],
)
def test_indented_prose_is_not_preformatted(lines: list[str]) -> None:
    assert "CodeBlock" not in kinds_of(["标题", "", *lines, "", "　　正文。"])


def test_a_sentence_item_with_no_text_under_it_is_not_a_heading() -> None:
    blocks = parse_lines(
        ["关于修改某规定的决定", "", "一、修改某规定", "", "1.删除第十一条。", "", "2.条文顺序作相应调整。",
         "", "二、修改另一规定", "", "1.删除第五条。"]
    ).blocks  # fmt: skip
    heads = [text_of(b.content) for b in blocks if isinstance(b, Heading)]
    assert heads == ["修改某规定", "修改另一规定"]
    # With text under it, one sentence alone on its line still heads its section.
    blocks = parse_lines(
        ["报告", "", "（一）推动高质量发展。", "", "　　今年以来，各项工作稳步推进。", "",
         "（二）保障和改善民生。", "", "　　民生投入持续加大。"]
    ).blocks  # fmt: skip
    assert sum(isinstance(b, Heading) for b in blocks) == 2


def test_the_signature_date_is_the_document_date() -> None:
    parsed = parse_lines(
        [
            "关于某事的通知",
            "（2020年1月2日通过）",
            "",
            "　　正文。",
            "",
            "某某办公室",
            "二〇二〇年三月六日",
        ]
    )
    assert isinstance(parsed.blocks[-1], Signature)
    assert parsed.found.date == "2020-03-06"


def test_a_speech_date_in_the_subtitle_comes_before_a_publication_time() -> None:
    parsed = parse_lines(
        [
            "政府工作报告",
            "——2026年1月26日在某省人民代表大会上",
            "时间：2026-02-12",
            "",
            "各位代表：",
            "　　正文。",
        ]
    )
    assert parsed.found.date == "2026-01-26"


@pytest.mark.parametrize(
    ("text", "iso"),
    [("2020年3月6日", "2020-03-06"), ("二〇二〇年十二月三十一日", "2020-12-31"),
     ("2020年2月30日", ""), ("三月六日", "")],
)  # fmt: skip
def test_iso_date(text: str, iso: str) -> None:
    assert iso_date(text) == iso


def test_short_titles_alone_over_their_text_are_headings_under_their_sections() -> None:
    lines = ["南唐二主词", "", "中主词", "", "应天长", "", "一钩初月临妆镜，蝉鬓凤钗慵不整。", "",
             "望远行", "", "玉砌花光锦绣明，朱扉长日镇长扃。", "", "后主词", "", "虞美人", "",
             "春花秋月何时了，往事知多少。"]  # fmt: skip
    heads = [
        (b.level, text_of(b.content)) for b in parse_lines(lines).blocks if isinstance(b, Heading)
    ]
    assert heads == [(1, "中主词"), (2, "应天长"), (2, "望远行"), (1, "后主词"), (2, "虞美人")]


@pytest.mark.parametrize(
    "alone",
    [
        ["是啊", "好吧", "罢了"],  # fewer than three with text under each: see below
        [
            "浪说曾分鲍叔金，谁人辨得伯牙琴！",
            "但见一杯土，惨然伤我心！",
            "我若真个死，一场大笑话！",
        ],
        ["-c", "-C", "-D"],  # a command's options
        ["静默输出到终端.", "生成静态文件.", "部署网站."],
    ],
)
def test_lines_alone_that_are_no_titles_stay_text(alone: list[str]) -> None:
    lines = ["标题", ""]
    for k, text in enumerate(alone):
        lines += [text, "", f"　　第{k}段正文，写得很长很长。", ""]
    if alone[0] == "是啊":
        lines = lines[: 2 + 4 * 2]  # only two of them
    assert "Heading" not in kinds_of(lines)


def test_a_preface_stands_beside_the_volumes_it_precedes() -> None:
    lines = [
        "书名",
        "",
        "序",
        "",
        "　　序文。",
        "",
        "卷一",
        "",
        "　　正文。",
        "",
        "卷二",
        "",
        "　　正文。",
    ]
    heads = [(b.level, b.number) for b in parse_lines(lines).blocks if isinstance(b, Heading)]
    assert heads == [(1, "序"), (1, "卷一"), (1, "卷二")]


def test_loose_verse_without_end_marks_is_verse() -> None:
    lines = ["楚辞", "", "东皇太一", "屈原", "吉日兮辰良，穆将愉兮上皇", "抚长剑兮玉珥，璆锵鸣兮琳琅",
             "陈竽瑟兮浩倡", "灵偃蹇兮姣服，芳菲菲兮满堂"]  # fmt: skip
    assert kinds_of(lines) == ["Title", "Heading", "Byline", "Verse"]


def test_a_news_kicker_stands_before_the_title() -> None:
    parsed = parse_lines(
        ["外交部发言人——", "希望双方珍惜积极进展", "作者：张三  时间：2018-05-26", "", "　　正文。"]
    )
    assert [type(b).__name__ for b in parsed.blocks[:3]] == ["Subtitle", "Title", "Byline"]
    assert parsed.found.title == "希望双方珍惜积极进展" and parsed.found.subtitle == ""
    # 引题, 主题, 副题 right above a byline: the middle line is the title.
    parsed = parse_lines(
        ["结束国事访问", "习近平回到北京", "离开前出席欢送仪式", "作者：杜尚泽  时间：2019-06-22",
         "", "　　正文。"]
    )  # fmt: skip
    assert [type(b).__name__ for b in parsed.blocks[:4]] == [
        "Subtitle", "Title", "Subtitle", "Byline",
    ]  # fmt: skip
    assert parsed.found.title == "习近平回到北京"
    assert parsed.found.subtitle == "离开前出席欢送仪式"


def test_a_two_line_title_without_a_byline_has_no_kicker() -> None:
    parsed = parse_lines(["关于做好工作的", "通知", "", "　　正文。"])
    assert parsed.found.title == "关于做好工作的通知"


def test_a_round_up_has_its_places_above_dateline_subheads() -> None:
    lines = ["各方反应", "", "　　朝鲜", "", "　　热播发射画面", "　　本报平壤12月14日电 正文。", "",
             "　　中国", "", "　　希望重启会谈", "　　本报北京12月13日电 正文。"]  # fmt: skip
    heads = [
        (b.level, text_of(b.content)) for b in parse_lines(lines).blocks if isinstance(b, Heading)
    ]
    assert heads == [(1, "朝鲜"), (2, "热播发射画面"), (1, "中国"), (2, "希望重启会谈")]


def test_a_short_line_introducing_verse_stays_in_the_poem() -> None:
    lines = ["诗选", "", "涉江", "屈原", "余幼好此奇服兮，年既老而不衰。", "乱曰：",
             "鸾鸟凤皇，日以远兮。", "燕雀乌鹊，巢堂坛兮。"]  # fmt: skip
    assert kinds_of(lines) == ["Title", "Heading", "Byline", "Verse"]
    # a long line ending in a colon is prose leading into the lines
    lines = [
        "书",
        "",
        "这猴王与金星纵起云头，升在空霄之上。正是那：",
        "高迁上品天仙位，名列云班宝箓中。",
    ]
    assert "Verse" not in kinds_of(lines)


def test_a_scraped_page_header_above_a_speech_is_boilerplate() -> None:
    lines = ["当前位置：", "首页", ">", "政务信息", ">", "要闻", "2026年某省政府工作报告", "发表时间：",
             "2026-02-09 09:45:30", "来源：", "某日报客户端", "【字体：", "小", "中", "大", "】",
             "政府工作报告", "——2026年2月3日在某省第十三届人民代表大会第四次会议上",
             "省人民政府省长 张 三", "2月3日，大会开幕。某日报记者王五摄", "各位代表：",
             "现在，我代表省人民政府，向大会报告工作。"]  # fmt: skip
    parsed = parse_lines(lines)
    kinds = [type(b).__name__ for b in parsed.blocks]
    # the breadcrumb trail, then the page's header (its copy of the name, time, buttons)
    assert kinds == ["Boilerplate", "Boilerplate", "Title", "Subtitle", "Byline", "Boilerplate",
                     "Addressee", "Paragraph"]  # fmt: skip
    assert parsed.found.title == "政府工作报告" and parsed.found.date == "2026-02-03"


def test_a_label_and_its_value_on_two_lines_are_bylines() -> None:
    parsed = parse_lines(["标题", "来源：", "某日报", "时间：", "2026-02-10", "", "　　正文。"])
    assert [type(b).__name__ for b in parsed.blocks] == ["Title"] + ["Byline"] * 4 + ["Paragraph"]


@pytest.mark.parametrize(
    ("line", "caption"),
    [("殷勇同志作政府工作报告。本报记者 戴冰摄", True), ("新华社记者　丁林摄", True),
     ("任振鹤作政府工作报告。新甘肃·甘肃日报记者 盛学卿", True),
     ("本报驻朝鲜记者 周之然", False), ("记者从会上获悉，项目已开工。", False)],
)  # fmt: skip
def test_photo_captions(line: str, caption: bool) -> None:
    from exporter.reader.structure.boilerplate import is_caption

    assert is_caption(line) is caption


def test_a_two_phrase_ordinal_heading_needs_text_under_it() -> None:
    lines = ["报告", "", "（一）深入落实总体规划，推动协同发展走深走实", "坚持战略定位，加快建设都市圈。",
             "（二）增强内需主导能力，巩固经济稳中向好", "扩大有效投资。"]  # fmt: skip
    heads = [text_of(b.content) for b in parse_lines(lines).blocks if isinstance(b, Heading)]
    assert heads == ["深入落实总体规划，推动协同发展走深走实", "增强内需主导能力，巩固经济稳中向好"]
    lines = ["清单", "", "（一）甲项，乙项", "（二）丙项，丁项"]
    assert "Heading" not in kinds_of(lines)


def test_a_numbered_step_above_its_command_is_no_heading() -> None:
    lines = ["部署", "", "1. 安装插件。", "", "    npm install hexo-deployer-git --save", "",
             "2. 修改配置。", "", "    deploy:", "      type: git"]  # fmt: skip
    assert "Heading" not in kinds_of(lines) and kinds_of(lines).count("CodeBlock") == 2


def test_an_official_title_over_three_lines_and_its_number_under_it() -> None:
    parsed = parse_lines(
        ["国务院办公厅、中央军委办公厅", "关于加强调查和管理工作", "有关问题的通知", "国办发〔1996〕25号",
         "", "北京市、天津市、河北省、山西省人民政府，沈阳、北京、兰州、济南、南京、广州军区：",
         "　　现将有关问题通知如下。", "", "国务院办公厅　中央军委办公厅", "一九九六年六月二十九日",
         "（此件公开发布）"]
    )  # fmt: skip
    kinds = [type(b).__name__ for b in parsed.blocks]
    assert kinds == ["Title", "DocNumber", "Addressee", "Paragraph", "Signature", "Paragraph"]
    assert parsed.found.title == "国务院办公厅、中央军委办公厅关于加强调查和管理工作有关问题的通知"
    assert parsed.found.document_number == "国办发〔1996〕25号"
    assert parsed.blocks[4] == Signature(
        ("国务院办公厅", "中央军委办公厅"), "一九九六年六月二十九日"
    )
    assert parsed.found.date == "1996-06-29"


def test_a_title_line_without_a_kind_is_not_joined_to_the_first_paragraph() -> None:
    parsed = parse_lines(["关于近期工作", "", "现将有关事项通知", "", "　　正文。"])
    assert parsed.found.title == "关于近期工作"


def test_a_covering_notice_signed_before_the_text_it_issues() -> None:
    parsed = parse_lines(
        ["国务院办公厅关于印发某方案的通知", "", "各省、自治区、直辖市人民政府：", "　　现将方案印发给你们。",
         "国务院办公厅", "2018年10月27日", "（此件公开发布）", "", "某方案", "", "　　一、总体要求。"]
    )  # fmt: skip
    sig = next(b for b in parsed.blocks if isinstance(b, Signature))
    assert sig == Signature(("国务院办公厅",), "2018年10月27日")
    assert parsed.found.date == "2018-10-27"


def test_a_person_is_an_addressee() -> None:
    _, draft = head_of(["国务院办公厅关于某事的复函", "", "马万祺副主席：", "　　来函收悉。"])
    assert any(isinstance(b, Addressee) for b in draft.blocks)


def test_articles_added_later_and_the_roc_civil_codes_kuan() -> None:
    text = ("刑法\n\n第一章　总则\n\n第十七条　已满十六周岁的人犯罪，应当负刑事责任。\n\n"
            "第十七条之一　已满七十五周岁的人故意犯罪的，可以从轻处罚。\n")  # fmt: skip
    heads = [b for b in read_text(text).document.blocks if isinstance(b, Heading)]
    assert [h.number for h in heads] == ["第一章", "第十七条", "第十七条之一"]
    assert heads[1].level == heads[2].level == 2
    text = "民法\n\n第 二 章 人\n\n第 二 節 法人\n\n第 一 款 通則\n\n第 25 條\n法人非依法律不得成立。\n"
    levels = [b.level for b in read_text(text).document.blocks if isinstance(b, Heading)]
    assert levels == [1, 2, 3, 4]


def test_a_short_ordinal_line_above_an_article_heads_a_part_of_the_law() -> None:
    text = ("规定\n\n一、审理期限\n\n第一条　审理期限为六个月。\n\n第二条　另有规定的除外。\n\n"
            "二、送达期限\n\n第三条　送达期限为五日。\n")  # fmt: skip
    heads = [(b.level, b.number) for b in read_text(text).document.blocks if isinstance(b, Heading)]
    assert heads == [(1, "一、"), (2, "第一条"), (2, "第二条"), (1, "二、"), (2, "第三条")]


def test_a_government_sites_catalogue_table_is_boilerplate() -> None:
    parsed = parse_lines(
        ["索 引 号：\t000014349/2018-00227\t主题分类：\t科技", "标　　题：\t国务院关于某事的决定",
         "发文字号：\t国发〔2018〕44号", "", "国务院关于某事的决定", "", "　　正文。"]
    )  # fmt: skip
    assert isinstance(parsed.blocks[0], Boilerplate) and len(parsed.blocks[0].lines) == 3
    assert parsed.found.title == "国务院关于某事的决定"


def test_a_bare_ordinal_with_text_under_it_numbers_a_part() -> None:
    lines = ["笔谈", "", "卷一 ◎某公为令", "", "（一）", "", "　　某公为令，清廉自守。", "",
             "（二）", "", "　　后迁某官，亦如之。"]  # fmt: skip
    heads = [(b.level, b.number) for b in parse_lines(lines).blocks if isinstance(b, Heading)]
    assert heads == [(1, "卷一"), (2, "（一）"), (2, "（二）")]
    assert "Heading" not in kinds_of(["清单", "", "（一）", "（二）"])  # nothing under them


def test_an_roc_article_numbered_with_a_hyphen() -> None:
    text = "民法\n\n第 15 條\n受監護宣告之人，無行為能力。\n\n第 15-1 條\n對於因精神障礙者，得為輔助之宣告。\n"
    heads = [b.number for b in read_text(text).document.blocks if isinstance(b, Heading)]
    assert heads == ["第 15 條", "第 15-1 條"]


def test_a_poem_with_one_line_that_lost_its_end_mark_is_verse() -> None:
    lines = ["楚辞", "", "怀沙", "屈原", "滔滔孟夏兮，草木莽莽。", "伤怀永哀兮，汩徂南土。",
             "玄文处幽兮，矇瞍谓之不章", "离娄微睇兮，瞽以为无明。", "变白以为黑兮，倒上以为下。"]  # fmt: skip
    assert kinds_of(lines) == ["Title", "Heading", "Byline", "Verse"]


# --- bare chapter numbers ----------------------------------------------------------------------


def _headings(text: str) -> list[tuple[int, str]]:
    doc = read_text(text).document
    return [(b.level, b.number + text_of(b.content)) for b in doc.blocks if isinstance(b, Heading)]


def test_bare_numbers_in_sequence_from_one_are_chapters() -> None:
    """A copied web text numbers its chapters 1, 2, 3 … on lines of their own (ctext.org)."""
    chapters = "\n\n".join(f"{n}\n子曰：「第{n}章的正文。」" for n in range(1, 6))
    text = f"中庸\n\n{chapters}\n"
    assert _headings(text) == [(1, str(n)) for n in range(1, 6)]


@pytest.mark.parametrize(
    "numbers",
    [
        [2, 3, 4, 5],  # pages numbered from the second page on
        [1, 2, 4, 5],  # a gap
        [1, 2],  # too few to be a sequence
        [1, 2, 3, 3],  # a repeat
    ],
)
def test_bare_numbers_out_of_sequence_stay_paragraphs(numbers: list[int]) -> None:
    body = "\n\n".join(f"{n}\n这是第{n}页上的一段话。" for n in numbers)
    assert _headings(f"标题\n\n{body}\n") == []


def test_a_page_number_splitting_a_sentence_is_no_chapter() -> None:
    """Text pulled from a PDF: the page number falls mid-sentence, so none of the numbers is a
    chapter, and every character stays in order as body text."""
    text = "标题\n\n1\n第一页的话。\n\n2\n第二页的话没有说完\n\n3\n接着说完。\n\n4\n再一页。\n"
    doc = read_text(text).document
    assert _headings(text) == []
    assert "".join(t for b in doc.blocks for t in block_texts(b)).count("第二页的话没有说完") == 1


# The fast reader helpers against the plain definitions they replace (per character, in Python).


def _quoted_by_character(texts: list[str]) -> list[bool]:
    quoted, is_open, opened = [], False, 0
    for k, text in enumerate(texts):
        quoted.append(is_open or text.startswith("“"))
        for c in text:
            if c == "“" and not is_open:
                is_open, opened = True, k
            elif c == "”":
                is_open = False
    if is_open:
        for k in range(opened + 1, len(texts)):
            quoted[k] = texts[k].startswith("“")
    return quoted


@given(st.lists(st.text(alphabet="“”甲 a", max_size=5), max_size=7))
def test_quoted_lines_follows_each_mark(texts: list[str]) -> None:
    from exporter.reader.structure.shapes import quoted_lines

    assert quoted_lines(texts) == _quoted_by_character(texts)


@given(st.text(max_size=30))
def test_width_counts_wide_characters_twice(text: str) -> None:
    from exporter.reader.structure.shapes import width

    assert width(text) == sum(2 if ord(c) >= 0x2E80 else 1 for c in text)


@given(st.text(alphabet="打印关闭字号大中小分享到：【】 天下事1", max_size=12))
def test_control_line_prefilter_changes_nothing(text: str) -> None:
    from exporter.reader.structure import boilerplate

    rest = boilerplate._SEPARATORS.sub("", boilerplate._CONTROL.sub("", text))
    words = boilerplate._CONTROL.findall(text)
    plain = (not rest and any(len(w) >= 2 for w in words)) or text.strip() in ("【", "】")
    assert boilerplate.is_control_line(text) == plain
