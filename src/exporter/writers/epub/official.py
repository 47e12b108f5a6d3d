"""The 公文 fields in an EPUB: metadata in the package, a styled 版头 above the text and 版记 below it (no page geometry)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from exporter.model import Document
from exporter.model.framing import Framed, frame
from exporter.model.official import PRINTED_GAP
from exporter.model.serialize import official_to_json
from exporter.writers._xml import attr as esc

#: The font role each part is set in (GB/T 9704-2012 §7.2: 密级 and 紧急程度 黑体, the
#: 发文机关标志 小标宋, the rest 仿宋; the 签发人's names 楷体).
PART_ROLES = {
    "copy": "body",
    "classification": "heading1",
    "urgency": "heading1",
    "issuer": "title",
    "number": "body",
    "signer": "body",
    "note": "body",
    "cc": "body",
    "printed": "body",
}
_NAMES_ROLE = "heading2"


def meta_pairs(doc: Document) -> list[tuple[str, str]]:
    """The fields that are set, as (name, value) pairs for the package's metadata
    (``official.issuers`` …; several issuers or signers joined with 、)."""
    out = []
    for name, value in official_to_json(doc.meta.official).items():
        text = "、".join(value) if isinstance(value, list) else str(value).lower()
        out.append((f"official.{name}", text))
    return out


def head_html(framed: Framed, rule: bool = True) -> str:
    """The 版头: a ``header`` of one paragraph a part (the issuers red and centred, a red
    rule under the 发文字号 when there is a masthead and ``rule``); "" when there is nothing to
    print."""
    if not framed.head:
        return ""
    parts = []
    for kind, text in framed.head:
        if kind == "signer":
            label, _, names = text.partition("：")
            inner = f'{esc(label)}：<span class="gw-names">{esc(names)}</span>'
        else:
            inner = esc(text)
        parts.append(f'<p class="gw-{kind}">{inner}</p>')
    if framed.masthead and rule:
        parts.append('<hr class="gw-red"/>')
    return '<header class="gongwen-head">\n' + "\n".join(parts) + "\n</header>"


def tail_html(framed: Framed) -> str:
    """The 版记: a ``footer`` between rules, 抄送 then 印发 (its body left, its date right)."""
    if not framed.tail:
        return ""
    parts = []
    for kind, text in framed.tail:
        if kind == "printed" and PRINTED_GAP in text:
            by, _, date = text.partition(PRINTED_GAP)
            inner = (
                f'<span class="gw-printed-by">{esc(by)}</span>{PRINTED_GAP}'
                f'<span class="gw-printed-date">{esc(date)}</span>'
            )
        else:
            inner = esc(text)
        parts.append(f'<p class="gw-{kind}">{inner}</p>')
    return '<footer class="gongwen-foot">\n' + "\n".join(parts) + "\n</footer>"


def role_texts(doc: Document) -> Iterator[tuple[str, str]]:
    """(font role, text) of every part, for the font subsets."""
    framed = frame(doc)
    for kind, text in (*framed.head, *framed.tail):
        if kind == "signer":
            label, _, names = text.partition("：")
            yield "body", label + "："
            yield _NAMES_ROLE, names
        else:
            yield PART_ROLES[kind], text
    if framed.note:
        yield "body", framed.note


def css(fam: Callable[[str], str]) -> str:
    """Rules for the header and footer (one look for every profile: an EPUB has no page
    geometry); ``fam(role)`` gives a role's CSS font-family list."""
    return "\n".join(
        [
            ".gongwen-head { margin: 0 0 2em 0; }",
            ".gongwen-head p { text-indent: 0; margin: 0; text-align: left; }",
            f".gongwen-head p.gw-copy, .gongwen-head p.gw-number, .gongwen-head p.gw-signer "
            f"{{ font-family: {fam('body')}; }}",
            f".gongwen-head p.gw-classification, .gongwen-head p.gw-urgency "
            f"{{ font-family: {fam('heading1')}; }}",
            f".gongwen-head p.gw-issuer {{ font-family: {fam('title')}; color: #ff0000; "
            "font-size: 2.2em; text-align: center; line-height: 1.3; margin-top: 1em; }",
            ".gongwen-head p.gw-number { text-align: center; margin-top: 1.5em; }",
            ".gongwen-head p.gw-signer { text-align: right; margin-right: 1em; }",
            f".gongwen-head .gw-names {{ font-family: {fam(_NAMES_ROLE)}; }}",
            "hr.gw-red { border: 0; border-top: 2px solid #ff0000; margin: 0.25em 0 0 0; }",
            ".gongwen-foot { margin: 3em 0 0 0; border-top: 1px solid #000000; "
            "border-bottom: 1px solid #000000; font-size: 0.875em; }",
            ".gongwen-foot p { text-indent: 0; margin: 0 1em; padding: 0.3em 0; "
            "text-align: justify; }",
            # 抄送's wrapped lines after its colon (三 characters).
            ".gongwen-foot p.gw-cc { padding-left: 3em; text-indent: -3em; }",
            ".gongwen-foot p.gw-cc + p { border-top: 0.5px solid #000000; }",
            ".gongwen-foot p.gw-printed { display: flex; justify-content: space-between; }",
        ]
    )
