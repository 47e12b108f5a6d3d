"""Structure detection: normalised lines -> blocks (title, lead, headings, verse, signature, …).

Heuristics follow the layouts of real Chinese files; where a rule is unsure it keeps the text as
plain paragraphs rather than inventing structure.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from exporter.model import (
    Addressee,
    Attachments,
    Block,
    Break,
    Byline,
    CodeBlock,
    Contents,
    DocNumber,
    Heading,
    Lead,
    ListBlock,
    ListItem,
    Paragraph,
    Quote,
    Signature,
    Subtitle,
    Title,
    Verse,
    block_texts,
    plain,
)
from exporter.reader.normalize import PAGE_BREAK_MARK, indent_of, is_blank

_CN_NUM = "〇零一二三四五六七八九十百千两"
_CHAPTER = re.compile(
    rf"^(?P<pre>正文\s*)?(?P<num>第[{_CN_NUM}\d]+(?P<kind>[编編章节節回卷部篇条條]))(?P<rest>(?:[\s\u3000]|$).*)$"
)
_PROLOGUE = re.compile(r"^(?P<num>楔子|引子|序章|序言|尾声|后记|前言)(?P<rest>[\s\u3000].*|$)")
_GW_LEVELS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cn", re.compile(rf"^(?P<num>[{_CN_NUM}]+、)[\s\u3000]*(?P<rest>.*)$")),
    ("pcn", re.compile(rf"^(?P<num>[（(][{_CN_NUM}]+[）)])[\s\u3000]*(?P<rest>.*)$")),
    ("ar", re.compile(r"^(?P<num>\d{1,2}[.．])(?!\d)[\s\u3000]*(?P<rest>.*)$")),
    ("par", re.compile(r"^(?P<num>[（(]\d{1,2}[）)])[\s\u3000]*(?P<rest>.*)$")),
)
# Heading kinds in rank order; levels are dense ranks of the kinds a document uses.
_RANK = {
    "编": 0, "編": 0, "部": 0, "卷": 0, "md1": 0,
    "章": 1, "回": 1, "篇": 1, "prologue": 1, "md2": 1,
    "节": 2, "節": 2, "md3": 2,
    "条": 3, "條": 3, "md4": 3,
    "cn": 10, "pcn": 11, "ar": 12, "par": 13,
    "item": 9,  # an article's own title inside a collection of news items
    "anthology": 19,  # a section of an anthology (五言絕句, 国风·周南) above its poems' titles
    "poem": 20,
}  # fmt: skip
_SENTENCE_END = "。！？；…"
_NO_END_TITLE = "。，；：、,;:"
_DATELINE = re.compile(
    r"^(?P<dl>(?:(?:新华社|中新社|本报|人民网|新华网|央视网|中国新闻网)[^，。\s]{0,16}?"
    r"(?:\d{1,2}月\d{1,2}日)?电|本报讯|据新华社电|新华社电)"
    r"(?:[\s\u3000]*[（(]记者[^）)]{1,40}[）)])?)"
)
_DATE_LED = re.compile(r"^(?P<dl>(?:\d{4}年)?\d{1,2}月\d{1,2}日)(?=[，,])")
_BYLINE = re.compile(r"^(?:作者|记者|来源|时间|发布时间|编辑|责任编辑|撰文|文)\s*[:：]")
_REPORTER = re.compile(r"^[（(]记者[^）)]{1,40}[）)]$")
_DATE_LINE = re.compile(
    rf"^(?:\d{{4}}|[{_CN_NUM}]{{4}})年(?:\d{{1,2}}|[{_CN_NUM}]{{1,3}})月(?:\d{{1,2}}|[{_CN_NUM}]{{1,3}})日$"
)
_ADDRESSEE = re.compile(
    r"^[^。；！？]*(?:、|，|政府|机关|部门|单位|院|委员会|厅|局|办公室|代表|同志|朋友们|各位[^：]*)[^。；！？]*[:：]$"
)
# Adoption and amendment records under a law's or decision's title (题注).
_ADOPTED = re.compile(
    r"^[（(]?\d{4}年\d{1,2}月\d{1,2}日.*(?:通过|修正|修订|公布|施行|发布|印发|批准)[^。]*[）)]?$"
)
_ISO_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
_DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,12}[〔［\[]\d{4}[〕］\]]\d{1,4}号$")
_ATTACH = re.compile(
    rf"^(?P<label>附\s*件[\s\u3000]*(?P<n>[\d{_CN_NUM}]*)[\s\u3000]*(?P<colon>[:：]?))[\s\u3000]*(?P<rest>.*)$"
)
_ATTACH_ITEM = re.compile(r"^(?P<num>\d{1,2}[.．、])[\s\u3000]*(?P<rest>.+)$")
_MD_HEADING = re.compile(r"^(?P<marks>#{1,6})\s+(?P<rest>.+)$")
_MD_LIST = re.compile(r"^(?P<marker>[-*+•·]|\d{1,3}[.)])\s+(?P<rest>.+)$")
_SETEXT = re.compile(r"^(?:={3,}|-{3,})$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_TRAD_CHARS = set(
    "這個們說來時為會後對國過經發還點種現開關長問門見東車書學實體當聽認麼於與從裡讓頭語麗華萬歲與衛義傳權憲條例總統"
)
_SIMP_CHARS = set(
    "这个们说来时为会后对国过经发还点种现开关长问门见东车书学实体当听认么于与从里让头语丽华万岁与卫义传权宪条例总统"
)


@dataclass
class Parsed:
    """The blocks found, what the reader learnt for the metadata, and text it dropped on purpose."""

    blocks: list[Block]
    title: str = ""
    subtitle: str = ""
    authors: list[str] = field(default_factory=list)
    date: str = ""
    source: str = ""
    place: str = ""
    document_number: str = ""
    language: str = "zh-CN"
    dropped: list[str] = field(default_factory=list)


@dataclass
class _Unit:
    """A logical line: one paragraph's text after re-joining hard-wrapped lines."""

    text: str
    indent: int
    line_no: int
    group_start: bool  # first unit after a blank line (or the file's start)
    group: int


def detect_language(text: str) -> str:
    """zh-TW when Traditional-only characters clearly outnumber Simplified-only ones."""
    sample = text[:200_000]
    trad = sum(1 for ch in sample if ch in _TRAD_CHARS)
    simp = sum(1 for ch in sample if ch in _SIMP_CHARS)
    return "zh-TW" if trad > max(5, simp * 2) else "zh-CN"


def _width(s: str) -> int:
    return sum(2 if ord(c) > 0x2E7F else 1 for c in s)


def _wrap_width(lines: list[str]) -> int | None:
    """The fixed width a file was hard-wrapped at, if it was (many lines of one exact width)."""
    widths = [_width(ln.strip()) for ln in lines if len(ln.strip()) >= 15]
    if len(widths) < 12:
        return None
    top, count = Counter(widths).most_common(1)[0]
    near = [ln.strip() for ln in lines if top - 1 <= _width(ln.strip()) <= top]
    # Lines of one width that mostly end a sentence are verse (三字經), not a wrapped paragraph.
    ends = sum(1 for ln in near if ln[-1] in "。！？；，：、」”")
    if len(near) >= 0.4 * len(widths) and count >= 8 and ends < 0.6 * len(near):
        return top
    return None


def _join(a: str, b: str) -> str:
    """Re-join a hard-wrapped line: no space between CJK, one space between Latin words."""
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return a + " " + b
    return a + b


def _units(lines: list[str]) -> list[_Unit]:
    """Group lines into logical lines (paragraph candidates)."""
    wrap = _wrap_width(lines)
    nonblank = [ln for ln in lines if not is_blank(ln) and ln != PAGE_BREAK_MARK]
    indented = sum(1 for ln in nonblank if indent_of(ln) >= 1)
    # Indent mode: most paragraphs open with an indent, so an unindented line continues one.
    indent_mode = bool(nonblank) and indented >= 0.6 * len(nonblank)
    units: list[_Unit] = []
    group = 0
    group_start = True
    prev_full = False
    in_fence = False
    for no, line in enumerate(lines, 1):
        if line == PAGE_BREAK_MARK:
            units.append(_Unit(PAGE_BREAK_MARK, 0, no, True, group))
            group += 1
            group_start = True
            prev_full = False
            continue
        if _FENCE.match(line):
            in_fence = not in_fence
        if in_fence or _FENCE.match(line):
            units.append(_Unit(line, -1, no, group_start, group))  # indent -1: verbatim
            group_start = False
            continue
        if is_blank(line):
            if not group_start:
                group += 1
            group_start = True
            prev_full = False
            continue
        ind = indent_of(line)
        text = line.strip()
        can_join = units and not group_start and units[-1].indent >= 0
        if can_join and wrap is not None and prev_full and ind == 0:
            units[-1].text = _join(units[-1].text, text)
        elif (
            can_join
            and indent_mode
            and ind == 0
            and units[-1].indent > 0
            and wrap is None
            and not _starts_block(text)
        ):
            units[-1].text = _join(units[-1].text, text)
        else:
            units.append(_Unit(text, ind, no, group_start, group))
        prev_full = wrap is not None and _width(text) >= wrap - 1 - (2 if ind else 0)
        group_start = False
    return units


def _starts_block(text: str) -> bool:
    return bool(
        _CHAPTER.match(text)
        or _ATTACH.match(text)
        or _DATE_LINE.match(text)
        or any(p.match(text) for _, p in _GW_LEVELS)
    )


def _title_like(text: str, limit: int = 50) -> bool:
    return 0 < len(text) <= limit and text[-1] not in _NO_END_TITLE and "。" not in text[:-1]


_TRAILING_NOTE = re.compile(r"[\s\u3000]*[（(][^）)]{1,20}[）)]$")


def _verse_like(text: str) -> bool:
    """A verse line: short, ends in verse punctuation (a trailing variant note allowed)."""
    text = _TRAILING_NOTE.sub("", text)
    return 2 <= len(text) <= 64 and text[-1] in "，。？！；、」』”" and "：“" not in text


def parse_lines(lines: list[str]) -> Parsed:
    """Detect the structure of normalised lines."""
    # Setext underlines (==== / ----) and Markdown heading marks are markup: dropped, reported.
    out = Parsed([])
    kept: list[str] = []
    for line in lines:
        if _SETEXT.match(line.strip()) and kept and not is_blank(kept[-1]):
            out.dropped.append(line.strip())
            continue
        kept.append(line)
    units = _units(kept)
    out.language = detect_language("".join(u.text for u in units[:2000]))
    i = _head(units, out)
    body = units[i:]
    tail = _tail(body)
    _body(body[: len(body) - len(tail)], out)
    out.blocks.extend(_signature(tail))
    _first_item_too(out)
    _assign_levels(out)
    return out


def _head(units: list[_Unit], out: Parsed) -> int:
    """Title, subtitle, document number, bylines at the head; returns the index of the body."""
    i = 0
    n = len(units)
    if i < n and _DOC_NUMBER.match(units[i].text):
        out.blocks.append(DocNumber(units[i].text))
        out.document_number = units[i].text
        i += 1
    if i >= n:
        return i
    first = units[i]
    # Official titles run long (规定、决定 naming other documents): allow more when set apart.
    limit = 100 if (i + 1 >= n or units[i + 1].group_start) else 60
    if not _title_like(first.text, limit) or _CHAPTER.match(first.text) or first.indent >= 2:
        return i
    first_group = [u for u in units[i : i + 400] if u.group == first.group]
    if len(first_group) >= 4 and _verse_group(first_group):
        out.title = first.text  # a poem opens the file: its title is the document's too
        return i
    title = first.text
    i += 1
    # A title broken over two lines: the first line ends in a word that cannot end a title.
    while (
        i < n
        and not units[i].group_start
        and _title_like(units[i].text, 40)
        and (title[-1] in "的和与及在于对关《〈（" or title.count("《") > title.count("》"))
    ):
        title += units[i].text
        i += 1
    out.blocks.append(Title(plain(title)))
    out.title = title
    # Subtitle: a short line right under the title, or a line opening with a dash.
    if i < n and (
        units[i].text.startswith(("——", "—", "－－"))
        or (
            not units[i].group_start
            and _title_like(units[i].text, 40)
            and not _BYLINE.match(units[i].text)
            and not _DATE_LINE.match(units[i].text)
            and " " not in units[i].text
        )
    ):
        sub = units[i].text
        i += 1
        if (
            sub.startswith("——")
            and i < n
            and not units[i].group_start
            and _title_like(units[i].text, 30)
            and not re.search(r"[\s\u3000]", units[i].text)
            and not units[i].text.endswith("：")
        ):
            sub += units[i].text
            i += 1
        out.blocks.append(Subtitle(plain(sub)))
        out.subtitle = sub
    # Bylines: 作者：… 时间：…, (记者 …), a short "office name" line (广东省省长 孟凡利).
    while i < n and (
        _BYLINE.match(units[i].text)
        or _REPORTER.match(units[i].text)
        or (
            len(units[i].text) <= 24
            and re.fullmatch(r"[\u4e00-\u9fff]{2,16}[ \u3000]+[\u4e00-\u9fff·]{2,6}", units[i].text)
        )
        or re.fullmatch(
            r"[\[［【〔（(][\u4e00-\u9fff]{1,3}[\]］】〕）)][\u4e00-\u9fff·]{2,6}", units[i].text
        )
        or (_ADOPTED.match(units[i].text) and len(units[i].text) <= 120)
    ):
        text = units[i].text
        out.blocks.append(Byline(plain(text)))
        m = re.search(r"作者\s*[:：]\s*([^\s\u3000]+)", text)
        if m:
            out.authors.extend(a for a in re.split(r"[;；、,，]", m.group(1)) if a)
        m = _ISO_DATE.search(text)
        if m and not out.date:
            out.date = f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
        m = re.search(r"来源\s*[:：]\s*([^\s\u3000]+)", text)
        if m:
            out.source = m.group(1)
        i += 1
    # The addressee (主送机关, 各位代表：) right under the head: a short line ending in a colon.
    if i < n and out.title and _ADDRESSEE.search(units[i].text) and len(units[i].text) <= 80:
        out.blocks.append(Addressee(plain(units[i].text)))
        i += 1
    # A lead: the first body paragraph when it opens with a dateline.
    if i < n:
        text = units[i].text
        m = _DATELINE.match(text) or _DATE_LED.match(text)
        if m and not _starts_block(text):
            dl = m.group("dl")
            rest = text[len(dl) :].lstrip(" \u3000")
            out.blocks.append(Lead(dl, plain(rest)))
            src = re.match(r"(新华社|中新社|本报|人民网|新华网|央视网|中国新闻网)", dl)
            if src and not out.source:
                out.source = src.group(1)
            # 新华社北京3月6日电: the place stands between the agency and the date.
            where = re.match(
                r"(?:新华社|中新社|本报)([\u4e00-\u9fff]{2,8}?)\d{1,2}月\d{1,2}日电", dl
            )
            if where:
                out.place = where.group(1)
            i += 1
    return i


def _tail(body: list[_Unit]) -> list[_Unit]:
    """The closing signer/date lines, if the text ends with a date line (and maybe signers)."""
    if not body or not _DATE_LINE.match(body[-1].text):
        return []
    j = len(body) - 1
    signers = 0
    while (
        j > 0
        and signers < 3
        and _title_like(body[j - 1].text, 30)
        and not _starts_block(body[j - 1].text)
        and body[j - 1].text[-1] not in _SENTENCE_END
    ):
        j -= 1
        signers += 1
    return body[j:]


def _signature(tail: list[_Unit]) -> list[Block]:
    if not tail:
        return []
    return [Signature(tuple(u.text for u in tail[:-1]), tail[-1].text)]


def _heading_parts(rest: str) -> tuple[str, str] | None:
    """(heading text, run-in body) for the text after an ordinal, or None for a plain paragraph."""
    if _title_like(rest, 60) and rest[-1] not in "；：" and "，" not in rest:
        return rest, ""
    stop = rest.find("。")
    if 0 < stop <= 40 and stop + 1 < len(rest):
        return rest[: stop + 1], rest[stop + 1 :].lstrip(" \u3000")
    if stop == len(rest) - 1 and len(rest) <= 60 and not any(c in rest for c in "；：！？"):
        return rest, ""  # one sentence alone on its line: the whole line is the heading
    return None


def _body(units: list[_Unit], out: Parsed) -> None:
    blocks = out.blocks
    has_articles = any((m := _CHAPTER.match(u.text)) and m.group("kind") in "条條" for u in units)
    seen_chapters = 0
    i = 0
    n = len(units)
    while i < n:
        u = units[i]
        text = u.text
        if text == PAGE_BREAK_MARK:
            blocks.append(Break("page"))
            i += 1
            continue
        if u.indent == -1:  # fenced code: the fence lines are markup (dropped, reported)
            j = i
            code: list[str] = []
            while j < n and units[j].indent == -1:
                line = units[j].text
                if _FENCE.match(line):
                    out.dropped.append(line.strip())
                    if code:
                        blocks.append(CodeBlock("\n".join(code)))
                    code = []
                else:
                    code.append(line)
                j += 1
            if code:
                blocks.append(CodeBlock("\n".join(code)))
            i = j
            continue
        m = _CHAPTER.match(text)
        if m:
            kind = m.group("kind")
            num = (m.group("pre") or "") + m.group("num")
            rest = m.group("rest").strip(" \u3000")
            # A run of chapter lines with no body between them is the book's own contents.
            if kind not in "条條":
                j = i
                while (
                    j < n
                    and units[j].group == u.group
                    and (_CHAPTER.match(units[j].text) or _PROLOGUE.match(units[j].text))
                ):
                    j += 1
                if j - i >= 4 and seen_chapters == 0:
                    blocks.append(Contents(tuple(plain(x.text) for x in units[i:j])))
                    i = j
                    continue
                seen_chapters += 1
                if len(rest) <= 60 and "。" not in rest[:-1]:
                    blocks.append(Heading(_RANK[kind], num, plain(rest)))
                    i += 1
                    continue
            else:
                if re.fullmatch(r"[（(][^）)]{1,20}[）)]", rest) or not rest:
                    blocks.append(Heading(_RANK[kind], num, plain(rest)))
                else:
                    blocks.append(Heading(_RANK[kind], num, (), plain(rest)))
                i += 1
                continue
        m = _PROLOGUE.match(text)
        if m and len(text) <= 40 and u.group_start:
            blocks.append(
                Heading(_RANK["prologue"], m.group("num"), plain(m.group("rest").strip()))
            )
            i += 1
            continue
        m = _MD_HEADING.match(text)
        if m:
            level = len(m.group("marks"))
            out.dropped.append(m.group("marks"))
            blocks.append(Heading(_RANK[f"md{min(level, 4)}"], "", plain(m.group("rest"))))
            i += 1
            continue
        m = _ATTACH.match(text)
        if m and (not m.group("rest") or _ATTACH_ITEM.match(m.group("rest")) or len(text) <= 60):
            items: list[ListItem] = []
            first = m.group("rest")
            if first:
                im = _ATTACH_ITEM.match(first)
                items.append(
                    ListItem(im.group("num"), plain(im.group("rest")))
                    if im
                    else ListItem("", plain(first))
                )
            j = i + 1
            # 附件1 (no colon) heads the attachment itself (GB/T 9704 §8); only a note lists items.
            while (
                j < n
                and not m.group("n")
                and (im := _ATTACH_ITEM.match(units[j].text))
                and len(units[j].text) <= 60
            ):
                items.append(ListItem(im.group("num"), plain(im.group("rest"))))
                j += 1
            blocks.append(Attachments(m.group("label"), tuple(items)))
            i = j
            continue
        if not has_articles:
            found = False
            for kind, pat in _GW_LEVELS:
                gm = pat.match(text)
                if gm and gm.group("rest"):
                    parts = _heading_parts(gm.group("rest"))
                    if parts is not None:
                        head, run_in = parts
                        blocks.append(
                            Heading(_RANK[kind], gm.group("num"), plain(head), plain(run_in))
                        )
                        found = True
                    break
            if found:
                i += 1
                continue
        # A collection of news items: each opens with its title (and maybe a second title line)
        # right above an 作者：/时间： byline, then a dateline-led lead.
        item = _item_head(units, i)
        if item:
            blocks.extend(item)
            i += len(item)
            if i < n and (dm := _DATELINE.match(units[i].text)):
                dl = dm.group("dl")
                blocks.append(Lead(dl, plain(units[i].text[len(dl) :].lstrip(" \u3000"))))
                i += 1
            continue
        # Markdown-style lists and quotes: consecutive marked lines.
        if _MD_LIST.match(text) and not _GW_LEVELS[2][1].match(text):
            j = i
            items = []
            while j < n and (lm := _MD_LIST.match(units[j].text)):
                items.append(ListItem(lm.group("marker"), plain(lm.group("rest"))))
                j += 1
            if len(items) >= 2:
                blocks.append(ListBlock(items[0].marker[0].isdigit(), tuple(items)))
                i = j
                continue
        if text.startswith(("> ", "＞")):
            out.dropped.append(text[0])  # the quote mark is markup
            blocks.append(Quote(plain(text[1:].lstrip())))
            i += 1
            continue
        # A book's named parts on a line of their own (学而篇), or an anthology's section
        # (五言絕句) standing alone right above a titled poem.
        alone = u.group_start and (i + 1 >= n or units[i + 1].group_start)
        if alone and _SECTION_NAME.fullmatch(text):
            if text.endswith("篇") or _anthology_section(units, i + 1):
                kind = "篇" if text.endswith("篇") else "anthology"
                blocks.append(Heading(_RANK[kind], "", plain(text)))
                i += 1
                continue
        # Verse: a group of short lines ending in verse punctuation (a poem's lines), maybe
        # headed by its title and an author line.
        group: list[_Unit] = []
        if u.group_start:
            for x in units[i:]:
                if x.group != u.group or len(group) > 400:
                    break
                group.append(x)
        verse = _verse_group(group) if len(group) >= 2 else None
        if verse:
            blocks.extend(verse)
            i += len(group)
            continue
        blocks.append(Paragraph(plain(text)))
        i += 1


_SECTION_NAME = re.compile(r"[\u4e00-\u9fff·]{2,8}")


def _anthology_section(units: list[_Unit], j: int) -> bool:
    """Whether the group starting at unit ``j`` is a poem headed by its title."""
    if j >= len(units):
        return False
    group = [x for x in units[j : j + 200] if x.group == units[j].group]
    blocks = _verse_group(group) if len(group) >= 3 else None
    return blocks is not None and isinstance(blocks[0], Heading)


def _item_head(units: list[_Unit], i: int) -> list[Block] | None:
    """Title (+ second title line) + byline(s) of one item in a collection, or None."""
    n = len(units)
    if not _title_like(units[i].text, 50):
        return None
    k = i + 1
    second = k < n and not units[k].group_start and _title_like(units[k].text, 40)
    if second and not _BYLINE.match(units[k].text):
        k += 1
    if not (k < n and not units[k].group_start and _BYLINE.match(units[k].text)):
        return None
    out: list[Block] = [Heading(_RANK["item"], "", plain(units[i].text))]
    if k == i + 2:
        out.append(Subtitle(plain(units[i + 1].text)))
    while k < n and not units[k].group_start and _BYLINE.match(units[k].text):
        out.append(Byline(plain(units[k].text)))
        k += 1
    return out


def _verse_group(group: list[_Unit]) -> list[Block] | None:
    """Blocks for a group of lines that is a poem (title? author? lines), or None."""
    if len(group) < 2:
        return None
    head: list[Block] = []
    k = 0
    if not _verse_like(group[0].text) and _title_like(group[0].text, 24):
        k = 1
        if len(group) > 2 and not _verse_like(group[1].text) and len(group[1].text) <= 12:
            k = 2
    lines = group[k:]
    if len(lines) < 2 or not all(_verse_like(x.text) for x in lines):
        return None
    if k >= 1:
        head.append(Heading(_RANK["poem"], "", plain(group[0].text)))
    if k == 2:
        head.append(Byline(plain(group[1].text)))
    head.append(Verse(tuple(plain(x.text) for x in lines)))
    return head


def _block_text(block: Block) -> str:
    return "".join(block_texts(block))


def _first_item_too(out: Parsed) -> None:
    """In a collection of news items, the head's title is the first item's title, not the file's:
    make it an item heading like the others (the metadata title stays as found)."""
    items = [
        k for k, b in enumerate(out.blocks) if isinstance(b, Heading) and b.level == _RANK["item"]
    ]
    head = next((k for k, b in enumerate(out.blocks[:2]) if isinstance(b, Title)), None)
    if len(items) == 1 and head is not None and len(_block_text(out.blocks[head])) <= 4:
        # A scraped web page: short UI lines (下载, 打印…) above the real title and its byline.
        for k in range(head, items[0]):
            b = out.blocks[k]
            if isinstance(b, Title | Subtitle):
                out.blocks[k] = Paragraph(b.content)
        real = out.blocks[items[0]]
        assert isinstance(real, Heading)
        out.blocks[items[0]] = Title(real.content)
        out.title = _block_text(out.blocks[items[0]])
        after = out.blocks[items[0] + 1] if items[0] + 1 < len(out.blocks) else None
        out.subtitle = _block_text(after) if isinstance(after, Subtitle) else ""
        return
    if (
        items
        and head is not None
        and any(isinstance(b, Byline) for b in out.blocks[head : head + 4])
    ):
        title = out.blocks[head]
        assert isinstance(title, Title)
        out.blocks[head] = Heading(_RANK["item"], "", title.content)


def _assign_levels(out: Parsed) -> None:
    """Replace heading ranks with dense 1-based levels over the kinds this document uses."""
    ranks = sorted({b.level for b in out.blocks if isinstance(b, Heading)})
    level = {r: k + 1 for k, r in enumerate(ranks)}
    out.blocks = [
        Heading(level[b.level], b.number, b.content, b.body) if isinstance(b, Heading) else b
        for b in out.blocks
    ]
