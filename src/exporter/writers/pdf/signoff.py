"""The 落款 in PDF: 发文机关署名 and 成文日期 placed as GB/T 9704-2012 §7.3.5 says."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from exporter.writers.pdf.layout import Para, Typesetter

#: GB/T 9704-2012 §7.3.5.1: with a seal the date stands four characters from the right margin.
SEALED_DATE_RIGHT = 4
#: GB/T 9704-2012 §7.3.5.2: without a seal the name stands two characters from the right margin,
#: and the date's first character two characters right of the name's first.
UNSEALED_RIGHT = 2
UNSEALED_DATE_SHIFT = 2
#: §7.3.5.3: the 签发人职务 two characters left of the 签名章 (the name printed in its place).
ORDER_SIGNER_GAP = "\u3000\u3000"


def signature_positions(
    name_w: float, date_w: float, width: float, cell: float, *, has_seal: bool
) -> tuple[float, float]:
    """The x of the signer names (their common left edge) and of the date, from the type
    area's left edge, for names ``name_w`` and a date ``date_w`` wide (either may be 0).

    - ``has_seal`` (§7.3.5.1): the date 右空四字; the names centred over the date (kept inside
      the type area when a name is wider than the room the centring leaves).
    - no seal (§7.3.5.2): the names 右空二字; the date's first character two characters right of
      the names' first; when the date is longer than the names, the date 右空二字 and the names
      move left with it (相应增加发文机关署名右空字数), so the date never passes the margin.
    """
    if has_seal:
        date_x = width - SEALED_DATE_RIGHT * cell - date_w
        if not date_w:
            return width - SEALED_DATE_RIGHT * cell - name_w, date_x
        name_x = date_x + (date_w - name_w) / 2
        return max(0.0, min(name_x, width - name_w)), date_x
    shift = UNSEALED_DATE_SHIFT * cell
    if date_w > name_w:
        date_x = width - UNSEALED_RIGHT * cell - date_w
        return date_x - shift, date_x
    name_x = width - UNSEALED_RIGHT * cell - name_w
    return name_x, (name_x + shift if name_w else width - UNSEALED_RIGHT * cell - date_w)


def set_signature(
    ts: Typesetter, signers: tuple[str, ...], date: str, *, has_seal: bool = False
) -> None:
    """One blank line after the body, then the names (one a line, a joint document's bodies in
    order) and the date under them, all kept together on one page. In the 命令（令）格式
    (§10.2, §7.3.5.3): two blank lines, the signer (职务 and 签名章) 右空四字, one blank line,
    the date 右空四字."""
    if ts.p.official_format == "order":
        _set_order_signature(ts, signers, date)
        return
    ts.blank()
    first_row = len(ts.rows)
    names = [ts.simple(s, "body") for s in signers if s]
    dpara: Para | None = ts.simple(date, "body") if date else None
    name_w = max((ts.natural_width(p) for p in names), default=0.0)
    date_w = ts.natural_width(dpara) if dpara else 0.0
    name_x, date_x = signature_positions(name_w, date_w, ts.width, ts.cell, has_seal=has_seal)
    for p in names:
        x = name_x
        if has_seal:  # each name centred over the date on its own
            x, _ = signature_positions(
                ts.natural_width(p), date_w, ts.width, ts.cell, has_seal=True
            )
        ts.set_para(p, first=x, rest=x, align="left", keep=True)
    if dpara:
        ts.set_para(dpara, first=date_x, align="left")
    for row in ts.rows[first_row - 1 : -1]:
        row.keep = True


def _set_order_signature(ts: Typesetter, signers: tuple[str, ...], date: str) -> None:
    """§7.3.5.3: 正文下空二行右空四字 the signer's line (职务 左空二字 of the 签名章: the line as
    the text gives it), 下空一行右空四字 the date; kept together."""
    ts.blank()
    ts.blank()
    first_row = len(ts.rows)
    right = ts.width - SEALED_DATE_RIGHT * ts.cell
    line = order_signer_line(signers)
    if line:
        p = ts.simple(line, "body")
        x = max(0.0, right - ts.natural_width(p))
        ts.set_para(p, first=x, rest=x, align="left", keep=True)
    if date:
        if line:
            ts.blank()
        p = ts.simple(date, "body")
        x = max(0.0, right - ts.natural_width(p))
        ts.set_para(p, first=x, align="left")
    for row in ts.rows[first_row - 1 : -1]:
        row.keep = True


def order_signer_line(signers: tuple[str, ...]) -> str:
    """The 命令's signer line: 职务 and name, which the reader finds as parts separated by a
    full-width space (``市长　张三``), on one line again."""
    return ORDER_SIGNER_GAP.join(s for s in signers if s)
