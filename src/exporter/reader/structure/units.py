"""Logical lines: physical lines grouped into paragraph candidates, hard wraps re-joined."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from exporter.reader.normalize import PAGE_BREAK_MARK, indent_of, is_blank
from exporter.reader.structure.preformatted import preformatted_lines
from exporter.reader.structure.shapes import DATE_LINE, FENCE, starts_block, width

#: Only lines at least this long tell a wrap width: headings and short dialogue lines do not.
WRAP_SAMPLE_MIN_CHARS = 15
#: Fewer long lines than this are too little evidence of a fixed wrap width.
WRAP_MIN_LINES = 12
#: A hard-wrapped file fills every line of a paragraph but its last: lines at the top width (or
#: one column less) are at least this share of the long lines, and at least WRAP_MIN_COUNT of them.
#: The Gutenberg 西遊記 wrapped at 70 columns has 74% of its long lines there; in unwrapped prose
#: the commonest width is rare (红楼梦: 241 of 2454 long lines).
WRAP_SHARE = 0.4
WRAP_MIN_COUNT = 8
#: Lines of one width that mostly (this share or more) end a clause are verse of fixed length,
#: not a wrapped paragraph: 三字經 has all 94 of its long lines at 32 columns, 唐詩三百首 764 of 987.
VERSE_END_SHARE = 0.6
#: Indent mode: when this share of the lines open with an indent, paragraphs are marked by their
#: first-line indent (GB/T 9704 §7.3.3: 每个自然段左空二字，回行顶格), so an unindented line
#: continues the paragraph above.
INDENT_MODE_SHARE = 0.6
#: A line within this many columns of the wrap width is full (the wrap broke it, not the author);
#: an indented first line has lost its indent's width too.
FULL_LINE_SLACK = 1
INDENT_SLACK = 2

#: Marks that end a sentence or a clause (GB/T 15834 句末点号 and 句内点号), or close a quote.
_CLAUSE_ENDS = "。！？；，：、」”"

#: A sender's line above a date line is at most this long.
SIGNER_LINE_MAX = 30

#: Indent value of a verbatim (fenced code) unit.
VERBATIM = -1
#: Indent value of a pre-formatted unit (an indented command line, a table row): its text is
#: the whole line, leading whitespace included.
PREFORMATTED = -2


@dataclass
class Unit:
    """A logical line: one paragraph's text after re-joining hard-wrapped lines."""

    text: str
    indent: int
    line_no: int
    group_start: bool  # first unit after a blank line (or the file's start)
    group: int

    @property
    def is_break(self) -> bool:
        """A page break (a form feed line): never text of any other block."""
        return self.text == PAGE_BREAK_MARK


def wrap_width(lines: list[str]) -> int | None:
    """The fixed width a file was hard-wrapped at, if it was (many lines of one exact width)."""
    stripped = [ln.strip() for ln in lines]
    all_widths = [width(ln) for ln in stripped]
    widths = [
        w for ln, w in zip(stripped, all_widths, strict=True) if len(ln) >= WRAP_SAMPLE_MIN_CHARS
    ]
    if len(widths) < WRAP_MIN_LINES:
        return None
    top, count = Counter(widths).most_common(1)[0]
    near = [ln for ln, w in zip(stripped, all_widths, strict=True) if top - 1 <= w <= top]
    ends = sum(1 for ln in near if ln[-1] in _CLAUSE_ENDS)
    if (
        len(near) >= WRAP_SHARE * len(widths)
        and count >= WRAP_MIN_COUNT
        and ends < VERSE_END_SHARE * len(near)
    ):
        return top
    return None


def join(a: str, b: str) -> str:
    """Re-join a hard-wrapped line: no space between CJK, one space between Latin words."""
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return a + " " + b
    return a + b


@dataclass
class _Grouper:
    """The state of the grouping walk over the physical lines."""

    wrap: int | None
    indent_mode: bool
    units: list[Unit]
    group: int = 0
    group_start: bool = True
    prev_full: bool = False
    in_fence: bool = False

    def end_group(self) -> None:
        if not self.group_start:
            self.group += 1
        self.group_start = True
        self.prev_full = False

    def continues(self, text: str, ind: int) -> bool:
        """Whether this line continues the unit above (a hard wrap or an indent-mode run-on)."""
        if not self.units or self.group_start or self.units[-1].indent < 0 or ind != 0:
            return False
        if self.wrap is not None:
            return self.prev_full
        return self.indent_mode and self.units[-1].indent > 0 and not starts_block(text)

    def add(self, line: str, no: int, signer: bool = False) -> None:
        ind = indent_of(line)
        text = line.strip()
        if not signer and self.continues(text, ind):
            self.units[-1].text = join(self.units[-1].text, text)
        else:
            self.units.append(Unit(text, ind, no, self.group_start, self.group))
        slack = FULL_LINE_SLACK + (INDENT_SLACK if ind else 0)
        self.prev_full = self.wrap is not None and width(text) >= self.wrap - slack
        self.group_start = False


def units_of(lines: list[str]) -> list[Unit]:
    """Group lines into logical lines (paragraph candidates)."""
    pre = preformatted_lines(lines)
    signers = _signer_lines(lines)
    nonblank = [
        ln
        for k, ln in enumerate(lines)
        if not is_blank(ln) and ln != PAGE_BREAK_MARK and k not in pre
    ]
    indented = sum(1 for ln in nonblank if indent_of(ln) >= 1)
    indent_mode = bool(nonblank) and indented >= INDENT_MODE_SHARE * len(nonblank)
    g = _Grouper(wrap_width(lines), indent_mode, [])
    for no, line in enumerate(lines, 1):
        if line == PAGE_BREAK_MARK:
            # A group of its own: no rule that takes a group (a poem, a signature) takes it too.
            g.end_group()
            g.units.append(Unit(PAGE_BREAK_MARK, 0, no, True, g.group))
            g.group += 1
            continue
        fence = bool(FENCE.match(line))
        g.in_fence = g.in_fence != fence
        if g.in_fence or fence:
            g.units.append(Unit(line, VERBATIM, no, g.group_start, g.group))
            g.group_start = False
        elif no - 1 in pre:
            g.units.append(Unit(line.rstrip(), PREFORMATTED, no, g.group_start, g.group))
            g.group_start = False
        elif is_blank(line):
            g.end_group()
        else:
            g.add(line, no, no - 1 in signers)
    return g.units


def _signer_lines(lines: list[str]) -> set[int]:
    """A short line right above a date line (the sender above the 成文日期, GB/T 9704 §7.3.5):
    never the run-on of the paragraph above, even unindented under an indented one."""
    out: set[int] = set()
    for k, line in enumerate(lines[:-1]):
        text = line.strip()
        if (
            text
            and len(text) <= SIGNER_LINE_MAX
            and text[-1] not in _CLAUSE_ENDS
            and DATE_LINE.match(lines[k + 1].strip())
        ):
            out.add(k)
    return out
