"""Reader tests: decoding, normalisation, structure, metadata, nothing lost, goldens."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from conftest import GOLDEN, REAL, SAMPLE, VARIANTS
from hypothesis import given, settings
from hypothesis import strategies as st

from exporter import diagnostics
from exporter.errors import InputError
from exporter.model import (
    Addressee,
    Attachments,
    Boilerplate,
    Byline,
    DocNumber,
    Heading,
    Lead,
    Paragraph,
    Signature,
    Subtitle,
    Title,
    Verse,
    document_text,
    text_of,
)
from exporter.model.serialize import dumps, loads
from exporter.reader import ReadResult, read_bytes, read_path, read_text
from exporter.reader.normalize import normalise

ALL_TEXT_FIXTURES = sorted(REAL.glob("*.txt")) + sorted(
    p
    for p in VARIANTS.glob("*.txt")
    if p.name
    not in {
        "empty.txt",
        "whitespace_only.txt",
        "binary_png_renamed.txt",
        "mixed_utf8_with_gbk_line_invalid.txt",
    }
)


def nonspace(text: str) -> str:
    return "".join(c for c in text if not c.isspace())


def assert_nothing_lost(source_text: str, result: ReadResult) -> None:
    """The model's non-whitespace text is the source's, in order, minus only what was reported dropped."""
    model = nonspace(document_text(result.document))
    source = (
        nonspace("\n".join(normalise(source_text).lines))
        .replace("\u200b", "")
        .replace("\ufeff", "")
    )
    # normalise() already took the control characters out of ``source``.
    dropped = "".join(nonspace(d) for d in result.dropped)
    if not dropped:
        assert model == source
        return
    assert len(model) + len(dropped) == len(source)
    it = iter(source)
    assert all(ch in it for ch in model), "model text is not an in-order subsequence of the source"


@pytest.mark.parametrize("path", ALL_TEXT_FIXTURES, ids=lambda p: p.name)
def test_nothing_lost(path: Path) -> None:
    with diagnostics.collect():
        result = read_path(path)
    assert_nothing_lost(result.source_text, result)


def test_sample_structure() -> None:
    doc = read_path(SAMPLE).document
    assert doc.meta.title == "习近平在决战决胜脱贫攻坚座谈会上讲话"
    assert isinstance(doc.blocks[0], Title)
    lead = doc.blocks[1]
    assert isinstance(lead, Lead)
    assert (lead.dateline + text_of(lead.content)).startswith("3月6日")
    raw_paragraphs = [p for p in SAMPLE.read_text("utf-8").split("\n\n") if p.strip()]
    body = [b for b in doc.blocks[2:]]
    assert all(isinstance(b, Paragraph) for b in body)
    # title + lead + every body paragraph as its own block
    assert len(body) == len(raw_paragraphs) - 2
    assert [text_of(b.content) for b in body] == [p.strip() for p in raw_paragraphs[2:]]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("gb18030_original_nantang_erzhu_ci.txt", "GB18030"),
        ("gbk_news_pd_panmunjom_2018.txt", "GB18030"),
        ("big5_law_tw_constitution_roc.txt", "Big5"),
        ("utf16be_nobom_sanzijing_trad.txt", "UTF-16BE"),
        ("utf16le_bom_law_prc_national_emblem_law.txt", "UTF-16LE"),
        ("utf8bom_gongwen_spp_notice_1997.txt", "UTF-8-BOM"),
        ("crlf_original_shuihu_prologue.txt", "UTF-8"),
    ],
)
def test_encodings_detected(name: str, encoding: str) -> None:
    doc = read_path(VARIANTS / name).document
    assert doc.meta.encoding == encoding
    assert "\ufffd" not in document_text(doc)


def test_encoded_variants_equal_their_originals() -> None:
    pairs = [
        ("gbk_news_pd_panmunjom_2018.txt", "news_pd_panmunjom_2018.txt"),
        ("big5_law_tw_constitution_roc.txt", "law_tw_constitution_roc.txt"),
        ("utf16le_bom_law_prc_national_emblem_law.txt", "law_prc_national_emblem_law.txt"),
        ("utf8bom_gongwen_spp_notice_1997.txt", "gongwen_spp_notice_1997.txt"),
        ("utf16be_nobom_sanzijing_trad.txt", "classic_sanzijing_trad.txt"),
    ]
    for variant, original in pairs:
        a = read_path(VARIANTS / variant).document
        b = read_path(REAL / original).document
        assert a.blocks == b.blocks, variant


def test_utf16_without_bom_le() -> None:
    text = "标题\n\n第一段。\n"
    doc = read_bytes(text.encode("utf-16-le"), name="x").document
    assert doc.meta.encoding == "UTF-16LE"
    assert doc.meta.title == "标题"
    doc = read_bytes(codecs.BOM_UTF16_BE + text.encode("utf-16-be"), name="x").document
    assert doc.meta.encoding == "UTF-16BE"


def test_encoding_override() -> None:
    data = (VARIANTS / "gbk_news_pd_panmunjom_2018.txt").read_bytes()
    doc = read_bytes(data, name="x", encoding="gbk").document
    assert doc.meta.encoding == "gbk"
    with pytest.raises(InputError, match="unknown encoding"):
        read_bytes(data, name="x", encoding="no-such-codec")
    with pytest.raises(InputError, match="cannot decode as utf-8 at byte 0"):
        read_bytes(data, name="x", encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.txt", "no text"),
        ("whitespace_only.txt", "no text"),
        ("binary_png_renamed.txt", "PNG image"),
        ("mixed_utf8_with_gbk_line_invalid.txt", "invalid UTF-8 at byte 2386"),
    ],
)
def test_bad_inputs_give_clear_errors(name: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        read_path(VARIANTS / name)
    assert name in str(info.value)
    assert "\n" not in str(info.value)


def test_invalid_utf8_replace() -> None:
    doc = read_path(VARIANTS / "mixed_utf8_with_gbk_line_invalid.txt", errors="replace").document
    assert "\ufffd" in document_text(doc)


def test_control_characters_removed_and_counted() -> None:
    with diagnostics.collect() as warnings:
        result = read_path(VARIANTS / "control_chars_news.txt")
    text = document_text(result.document)
    assert not any(ord(c) < 32 and c not in "\n\t" for c in text)
    assert "[31m" not in text  # the ANSI colour sequence goes as a whole
    assert result.removed_controls > 0
    assert [w.data["count"] for w in warnings if w.code == "control-chars"] == [
        result.removed_controls
    ]
    # the form feed on a line of its own is a page break
    assert any(type(b).__name__ == "Break" for b in result.document.blocks)


def test_emoji_ext_b_and_compatibility_ideographs_survive() -> None:
    raw = (VARIANTS / "emoji_cjk_ext_b_news.txt").read_text("utf-8")
    text = document_text(read_path(VARIANTS / "emoji_cjk_ext_b_news.txt").document)
    specials = [
        c
        for c in raw
        if ord(c) > 0xFFFF or 0xF900 <= ord(c) <= 0xFAFF or 0xFE00 <= ord(c) <= 0xFE0F
    ]
    assert specials, "fixture should hold astral and compatibility characters"
    for ch in specials:
        assert ch in text, f"U+{ord(ch):04X} lost"
    assert nonspace(text) == nonspace("".join(raw.split("\n")))


def test_single_200k_paragraph() -> None:
    doc = read_path(VARIANTS / "single_paragraph_200k_no_newline.txt").document
    assert (
        sum(len(nonspace(text_of(b.content))) for b in doc.blocks if isinstance(b, Paragraph))
        == 200000
    )


def test_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(("中文内容。" * 20 + "\n\n").encode() * 200)  # ~60 KB
    with pytest.raises(InputError, match="over the 1,000-byte limit"):
        read_path(big, max_bytes=1000)
    assert read_path(big, max_bytes=0).document.blocks


def test_line_ends_and_trailing_whitespace() -> None:
    a = read_text("标题\r\n\r\n第一段 \t\u3000\r第二段\u00a0\n").document
    b = read_text("标题\n\n第一段\n第二段\n").document
    assert a.blocks == b.blocks


def test_hard_wrapped_lines_rejoined_without_space() -> None:
    doc = read_path(REAL / "novel_xiyouji_trad_gutenberg_ch001-003.txt").document
    text = document_text(doc)
    assert "乃子、丑、寅、卯、辰" in text  # wrapped after 寅 in the source
    paras = [text_of(b.content) for b in doc.blocks if isinstance(b, Paragraph)]
    assert any(p.startswith("蓋聞天地之數") and len(p) > 300 for p in paras)


def test_latin_words_rejoined_with_space() -> None:
    line = "这是一段很长的中文内容用于测试硬换行的效果和拉丁单词" * 1
    text = "标题\n\n" + "\n".join([line + "abc", "def" + line] * 8) + "\n"
    doc = read_text(text).document
    assert "abc def" in document_text(doc)


def test_gongwen_headings_levels_and_run_in() -> None:
    text = (
        "国办发〔2022〕35号\n\n关于做好复制推广工作的通知\n\n各省、自治区、直辖市人民政府：\n\n"
        "一、总体要求\n\n（一）高度重视复制推广工作。各地区要结合实际抓好落实。\n\n"
        "1.明确责任\n\n（1）细化分工\n\n正文段落。\n\n附件：1.示范清单\n2.责任分工表\n\n"
        "国务院办公厅\n2022年9月7日\n"
    )
    doc = read_text(text).document
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds[:3] == ["DocNumber", "Title", "Addressee"]
    heads = [b for b in doc.blocks if isinstance(b, Heading)]
    assert [(h.level, h.number, text_of(h.content)) for h in heads] == [
        (1, "一、", "总体要求"),
        (2, "（一）", "高度重视复制推广工作。"),
        (3, "1.", "明确责任"),
        (4, "（1）", "细化分工"),
    ]
    assert text_of(heads[1].body) == "各地区要结合实际抓好落实。"
    att = next(b for b in doc.blocks if isinstance(b, Attachments))
    assert [(i.marker, text_of(i.content)) for i in att.items] == [
        ("1.", "示范清单"),
        ("2.", "责任分工表"),
    ]
    assert doc.blocks[-1] == Signature(("国务院办公厅",), "2022年9月7日")
    assert isinstance(doc.blocks[0], DocNumber) and doc.meta.document_number == "国办发〔2022〕35号"


def test_unsure_ordinal_stays_paragraph() -> None:
    doc = read_path(REAL / "gongwen_spp_notice_1997.txt").document
    assert not any(isinstance(b, Heading) for b in doc.blocks)
    assert isinstance(doc.blocks[-1], Signature)


def test_law_chapters_and_articles() -> None:
    doc = read_path(REAL / "law_prc_constitution.txt").document
    heads = [b for b in doc.blocks if isinstance(b, Heading)]
    chapters = [h for h in heads if h.number.endswith("章")]
    articles = [h for h in heads if h.number.endswith("条")]
    assert chapters and articles
    assert {h.level for h in chapters} == {1}
    assert all(h.level > 1 for h in articles)
    assert all(h.body for h in articles)  # 第X条 is run-in: its text follows in the same paragraph
    assert articles[0].number == "第一条"


def test_novel_contents_and_chapters() -> None:
    doc = read_path(REAL / "novel_laocan_youji.txt").document
    kinds = [type(b).__name__ for b in doc.blocks]
    assert "Contents" in kinds
    heads = [b for b in doc.blocks if isinstance(b, Heading)]
    assert heads[0].number == "第一回" and heads[0].level == 1


def test_title_subtitle_byline() -> None:
    doc = read_path(REAL / "govreport_2026_guangdong.txt").document
    assert doc.blocks[0] == Title(doc.blocks[0].content)  # type: ignore[union-attr]
    assert isinstance(doc.blocks[1], Subtitle)
    assert (
        text_of(doc.blocks[1].content) == "——2026年1月26日在广东省第十四届人民代表大会第五次会议上"
    )
    assert isinstance(doc.blocks[2], Byline)


def test_news_byline_date_and_dateline() -> None:
    doc = read_path(REAL / "news_pd_panmunjom_2018.txt").document
    assert doc.meta.title == "朝韩领导人会晤并签署《板门店宣言》"
    assert doc.meta.subtitle == "中方表示祝贺和欢迎"
    assert doc.meta.date == "2018-04-28"
    assert doc.meta.authors[:2] == ("马菲", "陈尚文")
    lead = next(b for b in doc.blocks if isinstance(b, Lead))
    assert lead.dateline.startswith("本报韩国高阳4月27日电")
    assert doc.meta.source == "本报" and doc.meta.place == "韩国高阳"


def test_title_over_two_lines() -> None:
    doc = read_text("国务院关于加强和\n改进工作的意见\n\n正文。\n").document
    assert doc.meta.title == "国务院关于加强和改进工作的意见"


def test_poetry_becomes_verse() -> None:
    doc = read_path(REAL / "poetry_caocao_three_poems.txt").document
    verses = [b for b in doc.blocks if isinstance(b, Verse)]
    assert len(verses) == 3
    assert text_of(verses[0].lines[0]) == "东临碣石，以观沧海。"


def test_traditional_language() -> None:
    assert read_path(REAL / "law_tw_constitution_roc.txt").document.meta.language == "zh-TW"
    assert read_path(SAMPLE).document.meta.language == "zh-CN"


def test_front_matter_and_cli_meta_win() -> None:
    text = (
        "---\ntitle: 元数据标题\nauthor: 张三; 李四\ndate: 2020-03-06\n---\n正文标题\n\n第一段。\n"
    )
    doc = read_text(text).document
    assert doc.meta.title == "元数据标题"
    assert doc.meta.authors == ("张三", "李四")
    assert doc.meta.date == "2020-03-06"
    assert "title" not in document_text(doc)
    doc = read_text(text, meta={"title": "命令行标题"}).document
    assert doc.meta.title == "命令行标题"


def test_setext_underlines_dropped_and_reported() -> None:
    with diagnostics.collect() as warnings:
        result = read_path(REAL / "law_tw_constitution_roc.txt")
    assert "=====" not in document_text(result.document)
    assert any(w.code == "markup-dropped" for w in warnings)


@pytest.mark.parametrize("path", ALL_TEXT_FIXTURES, ids=lambda p: p.name)
def test_json_round_trip(path: Path) -> None:
    doc = read_path(path).document
    assert loads(dumps(doc)) == doc


@pytest.mark.parametrize("path", sorted(REAL.glob("*.txt")), ids=lambda p: p.name)
def test_golden(path: Path, request: pytest.FixtureRequest) -> None:
    golden = GOLDEN / (path.stem + ".json")
    actual = dumps(read_path(path).document)
    if request.config.getoption("--update-goldens"):
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(actual, "utf-8")
    assert golden.exists(), f"no golden for {path.name}: run pytest --update-goldens and review"
    assert actual == golden.read_text("utf-8")


safe_text = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters="\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f\ufffe\uffff\r",
    ),
    min_size=1,
    max_size=300,
)


@settings(max_examples=300, deadline=None)
@given(safe_text)
def test_nothing_lost_generated(text: str) -> None:
    if not nonspace(text).replace("\u200b", "").replace("\ufeff", ""):
        return
    c1 = "".join(chr(c) for c in range(0x80, 0xA0))
    if any(ch in c1 for ch in text):
        return
    with diagnostics.collect():
        result = read_text(text)
    assert_nothing_lost(text, result)


def test_addressee_and_adoption_record() -> None:
    doc = read_path(REAL / "gongwen_spp_notice_1997.txt").document
    kinds = [type(b).__name__ for b in doc.blocks[:4]]
    assert kinds == ["Title", "Records", "Addressee", "Paragraph"]
    assert text_of(doc.blocks[2].content) == "地方各级人民检察院、各级军事检察院："  # type: ignore[union-attr]
    # Adopted 1997-09-24 (the record under the title), signed 1997-10-06: the 成文日期 under the
    # signature is the document's date (GB/T 9704 §7.3.5).
    assert doc.meta.date == "1997-10-06"
    speech = read_path(REAL / "govreport_2026_guangdong.txt").document
    assert any(
        isinstance(b, Addressee) and text_of(b.content) == "各位代表：" for b in speech.blocks
    )


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_give_a_document_or_a_clear_error(data: bytes) -> None:
    try:
        with diagnostics.collect():
            result = read_bytes(data, name="fuzz.txt")
    except InputError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert result.document.blocks


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "一、总体要求",
                "（一）高度重视。各地区要落实。",
                "1.明确责任",
                "（1）细化",
                "第一章 总则",
                "第一条 为了规范。",
                "附件：1.清单",
                "国务院办公厅",
                "2022年9月7日",
                "",
                "　　正文段落。",
                "床前明月光，",
                "疑是地上霜。",
                "```",
                "- 项目",
                "> 引文",
                "---",
                "title: 标题",
                "====",
                "新华社北京3月6日电 今天",
                "作者：张三  时间：2020-03-06",
                "各省、自治区人民政府：",
            ]
        ),
        min_size=1,
        max_size=30,
    )
)
def test_structured_lines_never_lose_text(lines: list[str]) -> None:
    text = "\n".join(lines)
    if not nonspace(text):
        return
    try:
        with diagnostics.collect():
            result = read_text(text)
    except InputError as exc:  # only a file that is all front matter has no text
        assert "no text" in str(exc) and lines[0] == "---"
        return
    assert_nothing_lost(text, result)


def test_news_collection_and_scraped_page() -> None:
    doc = read_path(REAL / "news_pd_multi_article_2011_2012.txt").document
    heads = [b for b in doc.blocks if isinstance(b, Heading)]
    assert len(heads) == 15 and {h.level for h in heads} == {1}  # 15 作者： bylines
    assert text_of(heads[0].content) == doc.meta.title == "朝鲜举行大规模群众集会响应新年联合社论"
    assert not any(isinstance(b, Title) for b in doc.blocks)
    scraped = read_path(REAL / "govreport_2026_xizang_scraped.txt").document
    assert scraped.meta.title == "2026年西藏自治区政府工作报告"
    assert scraped.meta.subtitle.startswith("——2026年1月31日")
    # The page's buttons (下载, 打印, 【字号：…】) are kept but set apart, not read as text; the
    # trailing 相关报道： too; the speech's date is the one in its subtitle.
    first, last = scraped.blocks[0], scraped.blocks[-1]
    assert isinstance(first, Boilerplate) and first.lines[:2] == ("下载", "打印")
    assert isinstance(last, Boilerplate) and last.lines == ("相关报道：",)
    assert scraped.meta.date == "2026-01-31"


def test_the_file_name_as_title_of_last_resort_is_clean() -> None:
    """A text with no title line takes its file's stem, never a placeholder name such as
    <bytes> or stdin's -, and never a control character from the name."""
    body = "　　正文只有一段，没有标题。\n".encode()
    assert read_bytes(body).document.meta.title == ""
    assert read_bytes(body, name="-").document.meta.title == ""
    assert read_text("　　正文。", name="/x/a\fb.txt").document.meta.title == "ab"
    assert read_text("　　正文。", name="/x/报告.txt").document.meta.title == "报告"
