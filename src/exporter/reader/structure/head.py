"""The head: document number, title, subtitle, bylines, addressee and a dateline-led lead."""

from __future__ import annotations

import re

from exporter.model import (
    Addressee,
    Boilerplate,
    Byline,
    DocNumber,
    Lead,
    Rule,
    Subtitle,
    Title,
    plain,
)
from exporter.reader.structure.boilerplate import (
    is_caption,
    is_control_line,
    is_control_word,
    is_furniture,
)
from exporter.reader.structure.draft import Draft, Found
from exporter.reader.structure.markdown import is_separator
from exporter.reader.structure.records import is_record, records
from exporter.reader.structure.shapes import (
    BYLINE,
    CHAPTER,
    DATE_LINE,
    DATELINE,
    NAMED_PART,
    PROLOGUE,
    VOLUME,
    iso_date,
    starts_block,
    title_like,
)
from exporter.reader.structure.units import Unit
from exporter.reader.structure.verse import GROUP_MAX, group_at, verse_group

#: A title followed directly by text is at most 60 characters; set apart by a blank line it may
#: run to 100, as official titles naming other documents do (the corpus's longest, 64 characters:
#: 最高人民法院关于修改《…》等二十七件民事类司法解释的决定).
TITLE_MAX = 60
TITLE_MAX_SET_APART = 100
#: A title is centred or flush left; a line indented two characters or more opens a paragraph
#: (GB/T 9704 §7.3.3: 每个自然段左空二字).
PARAGRAPH_INDENT = 2
#: A poem (at least this many lines in its group) opening the file is not under a title.
POEM_MIN_LINES = 4
#: The second line of a title broken over two (GB/T 9704 §7.3.1: 回行时词意完整).
TITLE_LINE2_MAX = 40
#: A title line ending in one of these was broken mid-phrase: the next line continues it.
_TITLE_OPEN_ENDS = "的和与及在于对关《〈（"
#: What opens a ——subtitle: em dashes, a horizontal bar (――), full-width hyphens.
_DASHES = ("——", "—", "－－", "――", "―")
#: A speech's subtitle: its date, then the meeting it was given at (——, parentheses optional).
_SPEECH_LINE = re.compile(
    r"^(?:——|—|－－|――|―)?[（(]?(?:\d{4}|[〇零一二三四五六七八九]{4})年[^在]{2,8}日在.{2,60}?"
    r"(?:会议|大会|座谈会|典礼|仪式|论坛|开幕式|闭幕式|会)上"
)
#: A byline label alone on its line (来源：), its value on the next line, at most this long.
_LABEL_ALONE = re.compile(r"^(?:作者|记者|来源|时间|发布时间|发表时间|编辑)\s*[:：]$")
LABEL_VALUE_MAX = 20
#: How far below the head's start a page's header may push a speech's ——subtitle.
PAGE_HEADER_REACH = 25
#: An official title's kind closes it (GB/T 9704 §8.1 文种): …的通知, …的批复, 决定, 意见.
_KIND_END = re.compile(
    r"(?:通知|通报|决定|决议|批复|意见|报告|请示|函|公告|通告|命令|令|议案|纪要|办法|规定|"
    r"方案|规划|细则|条例|解释|答复|复函)$"
)
_OF_KIND_END = re.compile("的" + _KIND_END.pattern)
#: An official title runs to at most three lines.
OFFICIAL_TITLE_LINES = 3
#: A news title's 引题 (kicker) above it is a short line.
KICKER_MAX = 40
#: A subtitle under the title, and the second line of a ——subtitle broken over two.
SUBTITLE_MAX = 40
SUBTITLE_LINE2_MAX = 30
#: An office-and-name byline (广东省省长 孟凡利); longer lines with a space are text.
OFFICE_BYLINE_MAX = 24
#: An adoption record under a law's title (题注): the corpus's longest is 62 characters.
ADOPTED_MAX = 120
#: An addressee (主送机关, GB/T 9704 §7.3.2) names organs, not a sentence: the corpus's longest is
#: 18 characters; a long list of organs still fits.
ADDRESSEE_MAX = 80
#: A 主送 list of many organs (every province and military region: 150 characters) is longer; a
#: list shows itself by its enumeration commas.
ADDRESSEE_LIST_MAX = 300
ADDRESSEE_LIST_COMMAS = 3

#: A first line naming a book and its author: 《孙子兵法》，孙武著 (a title, whatever follows).
_BOOK_AND_AUTHOR = re.compile(r"^《[^》]{1,30}》[^。]{0,30}(?:著|撰|编|編|作者)")
#: A scraped page's time stamp under the title: 2026-01-31 07:00:44, 2026年02月10日07时41分.
_TIMESTAMP = re.compile(
    r"^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?[\s\u3000]*(?:\d{1,2}[:：时]\d{2}(?:[:：分]\d{2}秒?)?分?)?$"
)
_DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,12}[〔［\[]\d{4}[〕］\]]\d{1,4}号$")  # §7.2.4
_REPORTER = re.compile(r"^[（(]记者[^）)]{1,40}[）)]$")
_OFFICE_BYLINE = re.compile(
    r"[\u4e00-\u9fff]{2,16}[ \u3000]+(?:[\u4e00-\u9fff·][ \u3000]?){1,5}[\u4e00-\u9fff·]"
)  # 上海市市长 龚 正: a two-character name is often spaced out
_BRACKETED_BYLINE = re.compile(
    r"[\[［【〔（(][\u4e00-\u9fff]{1,3}[\]］】〕）)][\u4e00-\u9fff·]{2,6}"
)  # 〔唐〕李白
_ADOPTED = re.compile(
    r"^[（(]?\d{4}年\d{1,2}月\d{1,2}日.*(?:通过|修正|修订|公布|施行|发布|印发|批准|会议)[^。]*[）)]?$"
)
_ISO_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
_ADDRESSEE = re.compile(
    r"^[^。；！？]*(?:政府|机关|部门|单位|院|委员会|委|厅|局|办公室|办|司|署|处|部|兵团|集团|公司"
    r"|机构|学校|高校|银行|代表|同志|朋友们|各位[^：]*)[^。；！？]*[:：]$"
)
#: A short addressee with no organ word the pattern above knows (各科室：, 全体教职工：): a noun
#: phrase opened by 各/全体/有关/尊敬的 or ending in a word for an organ or a group of people.
_ADDRESSEE_SHORT = re.compile(
    r"^(?:(?:各|全体|有关|尊敬的)[^。；！？：:，,]{1,28}"
    r"|[^。；！？：:，,]{0,28}(?:科室|单位|处|科|室|局|委|办|校|所|站|队|中心|公司|集团|企业|会"
    r"|同事|同学|老师|家长|职工|员工|成员|会员|居民|村民|先生|女士"
    r"|主席|部长|主任|书记|省长|市长|县长|院长|局长|厅长|委员|秘书长))[:：]$"
)
#: A lead-in sentence (现将有关事项通知如下：) ends in a colon too but is the body's first line.
_LEAD_IN = re.compile(r"如下[:：]$|下面|下列|然后")
_DATE_LED = re.compile(r"^(?P<dl>(?:\d{4}年)?\d{1,2}月\d{1,2}日)(?=[，,])")
_AGENCY = re.compile(r"(新华社|中新社|本报|人民网|新华网|央视网|中国新闻网)")
#: 新华社北京3月6日电: the place stands between the agency and the date.
_DATELINE_PLACE = re.compile(r"(?:新华社|中新社|本报)([\u4e00-\u9fff]{2,8}?)\d{1,2}月\d{1,2}日电")


def parse_head(units: list[Unit], draft: Draft) -> int:
    """Title, subtitle, document number, bylines at the head; returns the index of the body."""
    i = doc_number(units, leading_rules(units, draft), draft)
    i = page_header(units, i, draft)
    if i >= len(units) or not _is_title(units, i):
        return addressee(units, i, draft) if i else i  # a document number, then no title
    if _opens_with_poem(units, i):
        draft.found.title = units[i].text  # its title is the document's too
        return i
    i = kicker(units, i, draft)
    i = title(units, i, draft)
    for step in (subtitle, bylines, dash_subtitle, bylines, addressee, lead):
        i = step(units, i, draft)
    return i


def _speech_subtitle(text: str) -> bool:
    """——2026年1月28日在云南省第十四届人民代表大会第四次会议上 (the dash may be missing, the
    line may be in parentheses): a date, then where the speech was given."""
    return bool(_SPEECH_LINE.match(text))


def page_header(units: list[Unit], i: int, draft: Draft) -> int:
    """A scraped page may repeat the document's name, its publication time and buttons above
    the document's own head. When a speech's ——date-and-meeting subtitle stands a few lines
    down, its title is the nearest title-like line above it (skipping 来源：, times and
    buttons), and what stands above that title is the page's header: boilerplate."""
    end = min(len(units), i + PAGE_HEADER_REACH)
    # The last one: a page may print the head twice, its own header copy first.
    k = max((k for k in range(i + 1, end) if _speech_subtitle(units[k].text)), default=None)
    if k is None:
        return i
    t = next(
        (
            j
            for j in range(k - 1, i - 1, -1)
            if title_like(units[j].text, TITLE_MAX)
            and not is_furniture(units[j].text)
            and not is_control_word(units[j].text)
            and not _is_byline(units[j].text)
            and not _TIMESTAMP.match(units[j].text)
            and not _division(units[j].text)
            and not (j > i and _LABEL_ALONE.match(units[j - 1].text))  # 来源： / 四川日报
        ),
        None,
    )
    if t is None or t == i:
        return i
    draft.blocks.append(Boilerplate(tuple(u.text for u in units[i:t])))
    return t


def dash_subtitle(units: list[Unit], i: int, draft: Draft) -> int:
    """A ——subtitle that a page set below its 来源/时间 lines and buttons."""
    if (
        i < len(units)
        and not draft.found.subtitle
        and (units[i].text.startswith(_DASHES) or _speech_subtitle(units[i].text))
    ):
        return subtitle(units, i, draft)
    return i


def _head_line(units: list[Unit], k: int, limit: int) -> bool:
    """Unit ``k`` continues a title group: on the next line (no blank), title-like."""
    return (
        k < len(units)
        and not units[k].group_start
        and title_like(units[k].text, limit)
        and not BYLINE.match(units[k].text)
        and not _division(units[k].text)
    )


def kicker(units: list[Unit], i: int, draft: Draft) -> int:
    """A news title's 引题 (kicker) above it: a line ending in ——/：(外交部发言人——), or the first
    of three title lines right above a 作者：/时间： byline (引题, 主题, 副题). It is kept as a
    subtitle standing before the title; the title is the line under it."""
    text = units[i].text
    if (
        len(text) <= KICKER_MAX
        and text.endswith(("——", "："))
        and _head_line(units, i + 1, TITLE_MAX)
    ):
        draft.blocks.append(Subtitle(plain(text)))
        return i + 1
    if (
        len(text) <= KICKER_MAX
        and _head_line(units, i + 1, TITLE_MAX)
        and _head_line(units, i + 2, SUBTITLE_MAX)
        and i + 3 < len(units)
        and not units[i + 3].group_start
        and BYLINE.match(units[i + 3].text)
    ):
        draft.blocks.append(Subtitle(plain(text)))
        return i + 1
    return i


def leading_rules(units: list[Unit], draft: Draft) -> int:
    """Separator lines alone above everything else (a scraped page's ======) are rules, kept in
    place; the title is looked for below them."""
    i = 0
    while (
        i < len(units)
        and units[i].group_start
        and (i + 1 >= len(units) or units[i + 1].group_start)
        and is_separator(units[i].text)
    ):
        draft.blocks.append(Rule(units[i].text))
        i += 1
    return i


def doc_number(units: list[Unit], i: int, draft: Draft) -> int:
    """The document number on the first line (发文字号, GB/T 9704 §7.2.4: 国发〔2020〕5号)."""
    if i < len(units) and _DOC_NUMBER.match(units[i].text):
        draft.blocks.append(DocNumber(units[i].text))
        draft.found.document_number = units[i].text
        return i + 1
    return i


def _is_title(units: list[Unit], i: int) -> bool:
    first = units[i]
    set_apart = i + 1 >= len(units) or units[i + 1].group_start
    limit = TITLE_MAX_SET_APART if set_apart else TITLE_MAX
    if (
        len(first.text) <= TITLE_MAX
        and _BOOK_AND_AUTHOR.match(first.text)
        and first.indent < PARAGRAPH_INDENT
    ):
        return True  # 《孙子兵法》，孙武著，公元前500年。
    return (
        title_like(first.text, limit)
        and not is_separator(first.text)
        and not _division(first.text)
        and first.indent < PARAGRAPH_INDENT
    )


def _division(text: str) -> bool:
    """第三章, 卷一, 自序, 逍遥游第一: a part of the text, never its title or subtitle."""
    return bool(
        CHAPTER.match(text) or VOLUME.match(text) or PROLOGUE.match(text) or NAMED_PART.match(text)
    )


def _opens_with_poem(units: list[Unit], i: int) -> bool:
    group = group_at(units, i, GROUP_MAX)
    return len(group) >= POEM_MIN_LINES and verse_group(group) is not None


def title(units: list[Unit], i: int, draft: Draft) -> int:
    """The title, joined over two lines when its first line was broken mid-phrase."""
    text = units[i].text
    i += 1
    while (
        i < len(units)
        and not units[i].group_start
        and title_like(units[i].text, TITLE_LINE2_MAX)
        and (text[-1] in _TITLE_OPEN_ENDS or text.count("《") > text.count("》"))
    ):
        text += units[i].text
        i += 1
    i, text = _official_title(units, i, text)
    draft.blocks.append(Title(plain(text)))
    draft.found.title = text
    i = doc_number(units, i, draft)  # 国办函〔2018〕71号 under the title (GB/T 9704 §7.2.4)
    return i


def _official_title(units: list[Unit], i: int, text: str) -> tuple[int, str]:
    """An official title broken over up to three lines (GB/T 9704 §7.3.1), maybe a blank line
    after its first: joined when the last line ends in 的 and the document's kind (…的通知,
    …的批复) and the whole names its matter with 关于."""
    if _KIND_END.search(_squeezed(text)):
        return i, text
    joined, k = text, i
    for n in range(OFFICIAL_TITLE_LINES - 1):
        if k >= len(units) or not title_like(units[k].text, TITLE_LINE2_MAX):
            return i, text
        if units[k].group_start and n > 0:
            return i, text  # a blank line only between the first line and the second
        joined += units[k].text
        k += 1
        if _KIND_END.search(_squeezed(units[k - 1].text)):
            ok = "关于" in joined and _OF_KIND_END.search(_squeezed(units[k - 1].text))
            return (k, joined) if ok else (i, text)
    return i, text


def _squeezed(text: str) -> str:
    """Text without whitespace: 几 个 问 题 的 通 知, letter-spaced, ends in 通知."""
    return re.sub(r"[\s\u3000]+", "", text)


def _is_subtitle(unit: Unit) -> bool:
    """A line opening with a dash, or a short line right under the title."""
    text = unit.text
    if is_separator(text) or is_furniture(text) or _division(text):
        return False  # ———— set apart is a rule, 打印 furniture, 第一回 a heading
    return (
        text.startswith(_DASHES)
        or _speech_subtitle(text)
        or (
            not unit.group_start
            and title_like(text, SUBTITLE_MAX)
            and not BYLINE.match(text)
            and not DATE_LINE.match(text)
            and " " not in text
        )
    )


def subtitle(units: list[Unit], i: int, draft: Draft) -> int:
    """The subtitle; a ——subtitle broken over two lines is joined."""
    if i >= len(units) or not _is_subtitle(units[i]):
        return i
    text = units[i].text
    i += 1
    if (
        text.startswith("——")
        and i < len(units)
        and not units[i].group_start
        and title_like(units[i].text, SUBTITLE_LINE2_MAX)
        and not re.search(r"[\s\u3000]", units[i].text)
        and not units[i].text.endswith("：")
        and not BYLINE.match(units[i].text)
    ):
        text += units[i].text
        i += 1
    draft.blocks.append(Subtitle(plain(text)))
    draft.found.subtitle = text
    # ——2026年1月26日在…会议上: the day the speech was given, before any date a byline gives
    # (a page's 时间： is when it was put online).
    if _speech_subtitle(text):
        draft.found.date = iso_date(text) or draft.found.date
    else:
        draft.found.date = draft.found.date or iso_date(text)
    return i


def _is_byline(text: str) -> bool:
    """作者：… 时间：…, (记者 …), 广东省省长 孟凡利, 〔唐〕李白, or an adoption record.

    A 第X编/章/节/条/回 line is a division of the text, never a byline (第一编 总则 has the
    shape of an office and a name).
    """
    if CHAPTER.match(text):
        return False
    return bool(
        BYLINE.match(text)
        or _REPORTER.match(text)
        or (len(text) <= OFFICE_BYLINE_MAX and _OFFICE_BYLINE.fullmatch(text))
        or _BRACKETED_BYLINE.fullmatch(text)
        or (_ADOPTED.match(text) and len(text) <= ADOPTED_MAX)
    )


def _learn_from_byline(text: str, found: Found) -> None:
    """Authors, the date and the source a byline names."""
    m = re.search(r"作者\s*[:：]\s*([^\s\u3000]+)", text)
    if m:
        found.authors.extend(a for a in re.split(r"[;；、,，]", m.group(1)) if a)
    m = _ISO_DATE.search(text)
    if m and not found.date:
        found.date = f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    m = re.search(r"来源\s*[:：]\s*([^\s\u3000]+)", text)
    if m:
        found.source = m.group(1)


def bylines(units: list[Unit], i: int, draft: Draft) -> int:
    """The byline lines under the title, each also mined for metadata."""
    label = False
    while i < len(units):
        text = units[i].text
        if label and len(text) <= LABEL_VALUE_MAX and not starts_block(text):
            # 来源： on one line, 四川日报 on the next (a page's label and its value apart)
            draft.blocks.append(Byline(plain(text)))
            label = False
        elif is_record(text):
            # A law's 题注: its records are one block, not a cascade of bylines.
            _learn_from_byline(text, draft.found)
            i = records(units, i, draft)
            continue
        elif _is_byline(text) or _TIMESTAMP.match(text):
            label = bool(_LABEL_ALONE.match(text))
            draft.blocks.append(Byline(plain(text)))
            _learn_from_byline(text, draft.found)
        elif is_caption(text) or is_control_line(text) or is_control_word(text):
            draft.blocks.append(Boilerplate((text,)))  # a photo's caption, buttons, 大 中 小
        else:
            break
        i += 1
    return i


def _is_addressee(text: str) -> bool:
    """主送机关 (GB/T 9704 §7.3.2): a short line ending in a colon, naming organs or people."""
    limit = ADDRESSEE_LIST_MAX if text.count("、") >= ADDRESSEE_LIST_COMMAS else ADDRESSEE_MAX
    if len(text) > limit or _LEAD_IN.search(text):
        return False
    return bool(_ADDRESSEE.search(text) or _ADDRESSEE_SHORT.match(text))


def addressee(units: list[Unit], i: int, draft: Draft) -> int:
    """The addressee right under the head (主送机关, 各位代表：): a short line ending in a colon."""
    if i < len(units) and _is_addressee(units[i].text):
        draft.blocks.append(Addressee(plain(units[i].text)))
        return i + 1
    return i


def lead(units: list[Unit], i: int, draft: Draft) -> int:
    """A lead: the first body paragraph when it opens with a dateline (agency, place, date)."""
    if i >= len(units):
        return i
    text = units[i].text
    m = DATELINE.match(text) or _DATE_LED.match(text)
    if not m or starts_block(text):
        return i
    dl = m.group("dl")
    draft.blocks.append(Lead(dl, plain(text[len(dl) :].lstrip(" \u3000"))))
    src = _AGENCY.match(dl)
    if src and not draft.found.source:
        draft.found.source = src.group(1)
    where = _DATELINE_PLACE.match(dl)
    if where:
        draft.found.place = where.group(1)
    return i + 1
