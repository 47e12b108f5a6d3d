"""The Markdown parser: markdown-it (CommonMark) with GFM tables, strikethrough, front matter,
pandoc's footnotes and CJK-friendly emphasis; raw HTML is recognised (so it can be kept as
text), links all pass (so that the reader, not the parser, decides and warns)."""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from exporter.reader.markdown.flanking import cjk_friendly_emphasis


def _any_link(url: str) -> bool:
    """Every destination parses as a link: exporter.reader.markdown.inlines keeps only
    http(s), mailto and #fragment ones, and reports the others."""
    return True


@cache
def parser() -> MarkdownIt:
    """The one configured parser (markdown-it instances are reusable across documents)."""
    return new_parser()


def new_parser() -> MarkdownIt:
    """A parser configured as the reader's (a fresh one, e.g. to render with other rules)."""
    md = MarkdownIt("commonmark", {"html": True})
    md.enable(["table", "strikethrough"])
    md.use(front_matter_plugin)
    # Footnotes stay where they are defined: exporter.reader.markdown.notes takes them out.
    md.use(footnote_plugin, move_to_end=False)
    md.use(cjk_friendly_emphasis)
    md.validateLink = _any_link  # type: ignore[method-assign]
    return md
