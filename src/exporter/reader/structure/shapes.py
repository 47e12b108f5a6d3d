"""Line shapes several rules share: ordinals, dates, bylines, attachment labels, title-like lines."""

from __future__ import annotations

import datetime
import re

from exporter.model import DIVISION_KINDS, PROLOGUE_WORDS
from exporter.reader.normalize import PAGE_BREAK_MARK
from exporter.reader.structure.boilerplate import is_furniture

#: Chinese numerals as written in ordinals and dates (第十二章, 二〇二〇年, 两).
CN_NUM = "〇零一二三四五六七八九十百千两"

#: The kinds of CHAPTER that are a law's articles (第十二条), not a book's divisions.
ARTICLE_KINDS = "条條"
#: 第X编/章/节/回/卷/部/篇/条 with what follows it (正文 may stand in front in scraped texts).
CHAPTER = re.compile(
    rf"^(?P<pre>正文\s*)?(?P<num>第[ \u3000]*[{CN_NUM}\d]+(?:-\d+)?[ \u3000]*"
    rf"(?P<kind>[{DIVISION_KINDS}{ARTICLE_KINDS}])"
    # 第一百二十条之一 (PRC), 第 15-1 條 (ROC): an article put in later
    rf"(?:[ \u3000]*之[ \u3000]*[{CN_NUM}\d]+)?)"
    r"(?P<rest>(?:[\s\u3000]|$).*)$"
)
#: Unnumbered parts standing where a chapter would: prologue, preface, epilogue.
PROLOGUE = re.compile(rf"^(?P<num>{'|'.join(PROLOGUE_WORDS)})(?P<rest>[\s\u3000].*|$)")
#: A named part numbered after its name: 逍遥游第一, 学而第一 (the old books' 篇名第N).
NAMED_PART = re.compile(rf"^(?P<rest>[\u4e00-\u9fff]{{1,8}}?)(?P<num>第[{CN_NUM}]+)$")
#: A book's volume without 第: 卷一, 卷之三, 卷上 (the 卷 of 第一卷).
VOLUME = re.compile(rf"^(?P<num>卷之?[{CN_NUM}]+|卷[上中下])(?P<rest>(?:[\s\u3000]|$).*)$")
#: The structure ordinals of GB/T 9704 §7.3.3 in order: 一、 （一） 1. （1）.
GW_LEVELS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cn", re.compile(rf"^(?P<num>[{CN_NUM}]+、)[\s\u3000]*(?P<rest>.*)$")),
    ("pcn", re.compile(rf"^(?P<num>[（(][{CN_NUM}]+[）)])[\s\u3000]*(?P<rest>.*)$")),
    ("ar", re.compile(r"^(?P<num>\d{1,2}[.．])(?!\d)[\s\u3000]*(?P<rest>.*)$")),
    ("par", re.compile(r"^(?P<num>[（(]\d{1,2}[）)])[\s\u3000]*(?P<rest>.*)$")),
)
#: A date alone on its line (成文日期, GB/T 9704 §7.3.5), in Arabic or Chinese numerals.
DATE_LINE = re.compile(
    rf"^(?:\d{{4}}|[{CN_NUM}]{{4}})年(?:\d{{1,2}}|[{CN_NUM}]{{1,3}})月(?:\d{{1,2}}|[{CN_NUM}]{{1,3}})日$"
)
_DATE_PARTS = re.compile(
    rf"(\d{{4}}|[{CN_NUM}]{{4}})年(\d{{1,2}}|[{CN_NUM}]{{1,3}})月(\d{{1,2}}|[{CN_NUM}]{{1,3}})日"
)


def iso_date(text: str) -> str:
    """The first full date written in ``text`` (2020年3月6日, 二〇二〇年三月六日) as YYYY-MM-DD,
    or "" when there is none or it is no calendar date."""
    m = _DATE_PARTS.search(text)
    if not m:
        return ""
    year_s, month_s, day_s = m.groups()
    year = int(year_s) if year_s.isdigit() else int("".join(str(_CN_DIGITS[c]) for c in year_s))
    month, day = ordinal_value(month_s), ordinal_value(day_s)
    if month is None or day is None:
        return ""
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return ""


#: A labelled byline: 作者： 记者： 来源： 时间： …
BYLINE = re.compile(r"^(?:作者|记者|来源|时间|发布时间|发表时间|编辑|责任编辑|撰文|文)\s*[:：]")
#: A news dateline opening a lead (新华社北京3月6日电（记者 …）, 本报讯).
DATELINE = re.compile(
    r"^(?P<dl>(?:(?:新华社|中新社|本报|人民网|新华网|央视网|中国新闻网)[^，。\s]{0,16}?"
    r"(?:\d{1,2}月\d{1,2}日)?电|本报讯|据新华社电|新华社电)"
    r"(?:[\s\u3000]*[（(]记者[^）)]{1,40}[）)])?)"
)
#: 附件 / 附件1 / 附件：… (GB/T 9704 §7.3.4 note, §8 the attachment's own label).
ATTACH = re.compile(
    rf"^(?P<label>附\s*件[\s\u3000]*(?P<n>[\d{CN_NUM}]*)[\s\u3000]*(?P<colon>[:：]?))[\s\u3000]*(?P<rest>.*)$"
)
#: A Markdown code fence line, maybe with a language tag (```python); a fence mark followed by
#: other text (```第一条) is a line of text, which dropping it as markup would lose.
FENCE = re.compile(r"^\s*(`{3,}|~{3,})[A-Za-z0-9_+#.-]*\s*$")

#: From the CJK Radicals Supplement (U+2E80) up, characters are full width (two columns).
_WIDE_FROM = 0x2E80
#: Punctuation a title never ends with (GB/T 15834 句末点号 and 句内点号 end or join clauses).
_NO_END_TITLE = "。，；：、,;:"


_NARROW_RUN = re.compile(f"[\x00-{chr(_WIDE_FROM - 1)}]+")


def width(s: str) -> int:
    """Display width in columns: CJK and full-width characters count 2."""
    # Counted in C, by the runs of narrow characters (few in Chinese text): a 2.5 MB novel's
    # lines took 1.1 s character by character, 0.15 s replacing each wide character.
    return 2 * len(s) - sum(map(len, _NARROW_RUN.findall(s)))


def title_like(text: str, limit: int) -> bool:
    """Short, with no sentence break inside and no clause punctuation at the end."""
    return (
        0 < len(text) <= limit
        and text[-1] not in _NO_END_TITLE
        and "。" not in text[:-1]
        and text != PAGE_BREAK_MARK
    )


def starts_block(text: str) -> bool:
    """A line that opens a part of its own (chapter, ordinal, attachment, date), never a run-on."""
    return bool(
        CHAPTER.match(text)
        or ATTACH.match(text)
        or DATE_LINE.match(text)
        or any(p.match(text) for _, p in GW_LEVELS)
        or is_furniture(text)
    )


#: GB/T 15834 §4.1.3: double quotation marks; a quote of several paragraphs may open each one and
#: close only the last, so the state is open or closed, not a depth.
_OPEN_QUOTE = "“"
_CLOSE_QUOTE = "”"


def quoted_lines(texts: list[str]) -> list[bool]:
    """For each line: does it stand inside a quotation (opened above and not yet closed, or
    opening with “)? A quote never closed before the end is a stray mark and quotes nothing."""
    quoted: list[bool] = []
    is_open = False
    opened = 0
    for k, text in enumerate(texts):
        quoted.append(is_open or text.startswith(_OPEN_QUOTE))
        # Only a line's last mark decides the state after it (searched in C, not per character):
        # a “ leaves it open (opened here unless it was open all along), a ” closes it.
        last_open, last_close = text.rfind(_OPEN_QUOTE), text.rfind(_CLOSE_QUOTE)
        if last_open > last_close:
            if not is_open or last_close >= 0:
                opened = k
            is_open = True
        elif last_close > last_open:
            is_open = False
    if is_open:
        for k in range(opened + 1, len(texts)):
            quoted[k] = texts[k].startswith(_OPEN_QUOTE)
    return quoted


_CN_DIGITS = {c: d for d, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}


def ordinal_value(num: str) -> int | None:
    """The value of an ordinal's number (（十二）, 3., 二十一、), or None past 九十九."""
    digits = num.strip("、（）().．")
    if digits.isdigit():
        return int(digits)
    if any(c not in _CN_DIGITS and c != "十" for c in digits):
        return None
    if "十" not in digits:
        return _CN_DIGITS[digits] if len(digits) == 1 else None
    tens, _, ones = digits.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
