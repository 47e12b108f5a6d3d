"""Inline tokens -> model inlines: emphasis, strong, strike, code, links (only safe ones), images,
line breaks joined the Chinese way, raw HTML as literal text."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence

from markdown_it.token import Token

from exporter import diagnostics
from exporter.model import (
    Code,
    Emphasis,
    Image,
    Inline,
    Inlines,
    Link,
    Strike,
    Strong,
    Text,
    text_of,
)

#: The link destinations kept as links: absolute http(s) and mailto URLs, and #fragments.
_SAFE_HREF = re.compile(r"^(?:(?:https?|mailto):|#)", re.IGNORECASE)

_WRAPPERS: dict[str, Callable[[Inlines], Inline]] = {
    "em": Emphasis,
    "strong": Strong,
    "s": Strike,
}


def _wide(ch: str) -> bool:
    """East Asian Wide, Fullwidth or Halfwidth (UAX #11), Hangul excepted."""
    code = ord(ch)
    if 0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return False
    return unicodedata.east_asian_width(ch) in ("W", "F", "H")


def break_join(before: str, after: str) -> str:
    """What a soft line break between ``before`` and ``after`` becomes: nothing between two
    CJK characters (CSS Text 3 §4.1.3, segment break transformation), else one space.

    The text reader's join (no space unless both sides are ASCII letters or digits) suits
    hard-wrapped Chinese; Markdown sources also wrap English prose, whose words need the space.
    """
    if before and after and _wide(before[-1]) and _wide(after[0]):
        return ""
    return " "


def merge(items: Sequence[Inline]) -> Inlines:
    """Adjacent plain runs as one, empty ones dropped."""
    out: list[Inline] = []
    for item in items:
        if isinstance(item, Text):
            if not item.text:
                continue
            if out and isinstance(out[-1], Text):
                out[-1] = Text(out[-1].text + item.text)
                continue
        out.append(item)
    return tuple(out)


def join_lines(lines: Sequence[Inlines]) -> Inlines:
    """Lines (split at hard breaks) run on as one, joined as a soft break is."""
    out: list[Inline] = []
    for line in lines:
        if out and line:
            out.append(Text(break_join(text_of(tuple(out)), text_of(line))))
        out.extend(line)
    return merge(out)


class InlineReader:
    """Converts an inline token's children; ``embed`` maps an image path to a resource id,
    ``note`` a footnote reference to its Note."""

    def __init__(
        self, name: str, embed: Callable[[str], str], note: Callable[[Token], Inline]
    ) -> None:
        self.name = name
        self.embed = embed
        self.note = note

    def lines(self, children: Sequence[Token]) -> list[Inlines]:
        """The content, one entry per line (hard breaks split lines; soft breaks are joined)."""
        lines: list[Inlines] = []
        # A stack of open spans: (tag, href or "", content so far); the bottom one is the line.
        stack: list[tuple[str, str, list[Inline]]] = [("", "", [])]
        last = ""  # the text so far (its last character decides how a line break joins)
        for index, token in enumerate(children):
            top = stack[-1][2]
            kind = token.type
            if kind in ("softbreak", "hardbreak"):
                if kind == "hardbreak" and len(stack) == 1:
                    lines.append(merge(top))
                    stack, last = [("", "", [])], ""
                    continue
                # A soft break, or a hard one inside a span (no line can end there): run on.
                gap = break_join(last, _next_text(children, index + 1))
                top.append(Text(gap))
                last = gap or last
                continue
            if kind == "text":
                item: Inline = Text(token.content)
            elif kind == "code_inline":
                item = Code(token.content)
            elif kind == "html_inline":  # never interpreted: the markup is text
                item = Text(token.content)
            elif kind == "image":
                item = self._image(token)
            elif kind == "footnote_ref":
                item = self.note(token)
            elif kind.endswith("_open"):
                href = str(token.attrGet("href") or "") if kind == "link_open" else ""
                stack.append((token.tag, href, []))
                continue
            elif kind.endswith("_close") and len(stack) > 1:
                tag, href, items = stack.pop()
                stack[-1][2].extend(self._close(tag, href, merge(items)))
                continue
            else:  # an unknown token: keep its text
                item = Text(token.content)
            top.append(item)
            last = text_of((item,)) or last
        while len(stack) > 1:  # markdown-it balances spans; never lose content if it did not
            _tag, _href, items = stack.pop()
            stack[-1][2].extend(items)
        lines.append(merge(stack[0][2]))
        return lines

    def inlines(self, children: Sequence[Token]) -> Inlines:
        """The content as one run (hard breaks joined as soft ones)."""
        return join_lines(self.lines(children))

    def _close(self, tag: str, href: str, content: Inlines) -> Inlines:
        if tag == "a":
            if _SAFE_HREF.match(href):
                return (Link(href, content),)
            diagnostics.warn(
                "link-refused",
                f"{self.name}: link to {href!r} kept as plain text (only http(s), mailto "
                "and #fragment links are kept)",
                href=href,
            )
            return content
        wrap = _WRAPPERS.get(tag)
        return (wrap(content),) if wrap is not None and content else content

    def _image(self, token: Token) -> Image:
        alt = _plain(token.children or [])
        return Image(alt, self.embed(str(token.attrGet("src") or "")))


def _plain(tokens: Sequence[Token]) -> str:
    """The text of inline tokens (an image's alt text), markup left out."""
    parts: list[str] = []
    for token in tokens:
        if token.type in ("text", "code_inline", "html_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.type == "image":
            parts.append(_plain(token.children or []))
    return "".join(parts)


def _next_text(tokens: Sequence[Token], start: int) -> str:
    """The first text that follows ``start`` (past span marks), "" at the end."""
    for token in tokens[start:]:
        if token.type in ("text", "code_inline", "html_inline") and token.content:
            return token.content
        if token.type == "image":
            return _plain(token.children or [])
        if token.type in ("softbreak", "hardbreak"):
            return ""
    return ""
