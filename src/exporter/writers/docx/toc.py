"""The contents in DOCX: a TOC field (ECMA-376 §17.16.5.68) that Word and WPS update.

The field's result is the source's own contents list, paragraph by paragraph, so nothing is
lost and the document reads right before the field is updated; updating it (F9, or 更新域)
replaces the list with entries and page numbers from the headings' outline levels.
"""

from __future__ import annotations

from collections.abc import Callable

from exporter.model import Inlines

#: \o "1-3": headings of outline levels 1-3; \h: entries are links; \z \u: Word's defaults.
INSTRUCTION = ' TOC \\o "1-3" \\h \\z \\u '
_BEGIN = (
    '<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
    f'<w:r><w:instrText xml:space="preserve">{INSTRUCTION}</w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
)
_END = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'


def contents_field(
    lines: tuple[Inlines, ...], para: Callable[[str, str], None], runs: Callable[[Inlines], str]
) -> None:
    """The contents lines as paragraphs of style Contents inside one TOC field: it begins in
    the first paragraph and ends in the last (a field may span paragraphs, §17.16.18)."""
    n = len(lines)
    for k, line in enumerate(lines):
        out = runs(line)
        if k == 0:
            out = _BEGIN + out
        if k == n - 1:
            out += _END
        para("Contents", out)
