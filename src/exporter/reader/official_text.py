"""公文 fields a scraped text carries on its own lines: 密级 and 紧急程度 at the top, 抄送 and 印发 at the end."""

from __future__ import annotations

import re
from dataclasses import replace

from exporter.model.official import CC_LABEL, Official

# GB/T 9704-2012 §7.2.2, §7.2.3: 机密★1年 (the period after a star), 特急/加急 alone on a line.
_CLASSIFICATION = re.compile(r"(绝密|机密|秘密)(?:\s*★\s*(\S.*?))?")
_URGENCY = re.compile(r"特急|加急|特提|平急")
# §7.4.3: 某某市人民政府办公室　2024年1月5日印发 (the body, then the date followed by 印发).
# The body and the date apart (a space, as the line is set), the body without sentence marks,
# so that a last sentence "……于2024年1月5日印发。" stays text.
_PRINTED = re.compile(
    r"(?:(?P<by>[^\s，。；：！？,;:]{2,40})\s+)?(?P<date>[\d〇零一二三四五六七八九]{4}年[\d〇一二三四五六七八九十]{1,3}月"
    r"[\d〇一二三四五六七八九十]{1,3}日)印发"
)
#: Lines a 抄送 list may wrap over before the 印发 line.
_CC_LINES = 3


def take_official_lines(lines: list[str]) -> tuple[Official, list[str]]:
    """The 公文 fields found on the text's first and last lines, and the lines left.

    Only lines whose whole text is the field are taken, in the order the 版头 and 版记 print
    them, so every character still reaches every output in its place; a text that would keep
    nothing else keeps them all.
    """
    official, rest = _take(lines)
    if not any(line.strip() for line in rest):
        return Official(), lines
    return official, rest


def _take(lines: list[str]) -> tuple[Official, list[str]]:
    official = Official()
    first = _first_text(lines, 0)
    if first is not None:
        m = _CLASSIFICATION.fullmatch(lines[first].strip())
        if m:
            official = replace(official, classification=m.group(1), secrecy_period=m.group(2) or "")
            lines = lines[:first] + lines[first + 1 :]
            first = _first_text(lines, first)
        if first is not None and _URGENCY.fullmatch(lines[first].strip()):
            official = replace(official, urgency=lines[first].strip())
            lines = lines[:first] + lines[first + 1 :]
    return _tail(official, lines)


def _tail(official: Official, lines: list[str]) -> tuple[Official, list[str]]:
    last = _last_text(lines, len(lines) - 1)
    if last is None:
        return official, lines
    end = last + 1
    m = _PRINTED.fullmatch(lines[last].strip())
    if m:
        official = replace(official, printed_by=(m.group("by") or "").strip(),
                           printed_date=m.group("date"))  # fmt: skip
        end = last
        last = _last_text(lines, last - 1)
    # The 抄送 line, maybe wrapped over a few lines, directly above (or at the end).
    above: list[int] = []
    while last is not None and len(above) < _CC_LINES:
        above.append(last)
        last = _last_text(lines, last - 1)
    for at in above:
        text = lines[at].strip()
        if text.startswith(CC_LABEL) and len(text) > len(CC_LABEL):
            parts = [text[len(CC_LABEL) :]] + [
                lines[i].strip() for i in range(at + 1, end) if lines[i].strip()
            ]
            return replace(official, cc="".join(parts)), lines[:at]
    if m:
        return official, lines[:end]
    return official, lines


def _first_text(lines: list[str], start: int) -> int | None:
    return next((i for i in range(start, len(lines)) if lines[i].strip()), None)


def _last_text(lines: list[str], start: int) -> int | None:
    return next((i for i in range(start, -1, -1) if lines[i].strip()), None)
