"""Pre-formatted lines inside prose: indented command lines and ASCII tables keep their breaks."""

from __future__ import annotations

import re

from exporter.reader.normalize import is_blank

#: Indented as code is (a tab, or four ASCII spaces: the CommonMark indented code block), not as
#: a Chinese paragraph is (two ideographic spaces).
_CODE_INDENT = re.compile(r"^(?:\t| {4})")
#: A row or border of an ASCII or box-drawing table: |a|b|, +---+---+, ┌──┬──┐.
_TABLE_ROW = re.compile(r"^\s*[|+│┃├┌└╔╠╚║┼╋].*[|+│┃┤┐┘╗╣╝║┼╋]\s*$")
_TABLE_RULE = re.compile(r"^\s*[+|]?(?:[-=:]{3,}[+|])+[-=:]*\s*$|^\s*[─━┌┐└┘├┤┬┴┼═╔╗╚╝]{3,}")
#: A line is code-like when this share of its visible characters is ASCII (commands, paths,
#: options); Chinese prose, even indented with ASCII spaces (as some novels are), is not.
CODE_ASCII_SHARE = 0.6
#: ... and at least this share Latin letters (commands and options are words, not numbers).
CODE_LETTER_SHARE = 0.3
#: A comment line in a script or a configuration file (# 安装依赖, // 注释, -- 说明, REM).
_COMMENT = re.compile(r"^\s*(?:#|//|--|;|REM\b|::)")
#: A command's option and what it does (-t, --table table 对指定的表进行操作).
_OPTION = re.compile(r"^\s*--?[A-Za-z]")
#: A run is pre-formatted when at least this share of its lines are code-like or table rows
#: (a comment line in Chinese inside a script stays in the run).
RUN_SHARE = 0.5


def is_table_row(line: str) -> bool:
    """A row, border or rule of an ASCII or box-drawing table."""
    text = line.strip()
    return len(text) >= 3 and bool(_TABLE_ROW.match(text) or _TABLE_RULE.match(text))


def code_like(line: str) -> bool:
    """A command line, a path, a snippet of configuration: mostly ASCII with Latin letters in it
    (a line of dates and counts, 更新时间:2007-11-16 7:55:51, is not), or a comment line."""
    visible = "".join(line.split())  # str.split drops every Unicode space, as isspace() does
    if len(visible) < 2:
        return False
    if _COMMENT.match(line) or _OPTION.match(line):
        return True
    # Counted in C (encode), not character by character: a novel indents every paragraph.
    ascii_part = visible.encode("ascii", "ignore").decode("ascii")
    ascii_share = len(ascii_part) / len(visible)
    if ascii_share < CODE_ASCII_SHARE:
        return False
    letters = sum(c.isalpha() for c in ascii_part) / len(visible)
    return letters >= CODE_LETTER_SHARE


def _candidate(line: str) -> bool:
    return bool(_CODE_INDENT.match(line)) or is_table_row(line)


def preformatted_lines(lines: list[str]) -> set[int]:
    """Indices of lines that are pre-formatted: runs of code-indented lines (or table rows),
    between blank lines, most of them code-like or table rows."""
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(lines):
        if is_blank(lines[i]) or not _candidate(lines[i]):
            i += 1
            continue
        j = i
        while j < len(lines) and not is_blank(lines[j]) and _candidate(lines[j]):
            j += 1
        run = lines[i:j]
        good = sum(1 for ln in run if is_table_row(ln) or code_like(ln))
        # Rules alone (─────, +----+) with no row between them are a separator, not a table.
        only_rules = all(_TABLE_RULE.match(ln) and not _CODE_INDENT.match(ln) for ln in run)
        if good and good >= RUN_SHARE * len(run) and not only_rules:
            runs.append((i, j))
        i = j
    out: set[int] = set()
    for k, (i, j) in enumerate(runs):
        out.update(range(i, j))
        # Blank lines between two indented runs belong to them (CommonMark §4.4: an indented
        # code block's chunks are separated by blank lines), so the runs make one block.
        if k + 1 < len(runs):
            nxt = runs[k + 1][0]
            if (
                all(is_blank(ln) for ln in lines[j:nxt])
                and _CODE_INDENT.match(lines[j - 1])
                and _CODE_INDENT.match(lines[nxt])
            ):
                out.update(range(j, nxt))
    return out
