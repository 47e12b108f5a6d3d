"""The 公文 主体 in PDF (GB/T 9704-2012 §7.3), measured from glyph positions with pdfplumber:
落款, 附件说明, 附注, word-whole title and byline breaks, and one look for numbers on the grid."""

from __future__ import annotations

import dataclasses
import io
from typing import Any

import pdfplumber
import pytest
from conftest import REAL

from exporter.model import (
    Addressee,
    Attachments,
    Block,
    Document,
    ListItem,
    Metadata,
    Paragraph,
    Signature,
    Title,
    plain,
)
from exporter.options import GONGWEN, MM, WriteOptions
from exporter.reader import read_file, read_text
from exporter.writers.pdf import PdfWriter

GW = WriteOptions(profile=GONGWEN, source_date_epoch=1583452800)
LEFT = GONGWEN.margin_left_mm * MM
CELL = GONGWEN.text_width_mm * MM / 28
RIGHT = LEFT + 28 * CELL
BOTTOM = (GONGWEN.margin_top_mm + GONGWEN.text_height_mm) * MM


def render(doc: Document) -> bytes:
    out = io.BytesIO()
    PdfWriter().write(doc, GW, out)
    return out.getvalue()


def lines_of(data: bytes) -> list[tuple[int, str, list[dict[str, Any]]]]:
    """Every line of the type area in reading order: page index, text, glyphs left to right."""
    out = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for pi, page in enumerate(pdf.pages):
            chars = sorted(
                (c for c in page.chars if c["text"].strip() and c["top"] < BOTTOM),
                key=lambda c: (c["top"], c["x0"]),
            )
            rows: list[list[dict[str, Any]]] = []
            for c in chars:
                if rows and abs(rows[-1][0]["top"] - c["top"]) < 2.5:
                    rows[-1].append(c)
                else:
                    rows.append([c])
            for r in rows:
                r.sort(key=lambda c: c["x0"])
                out.append((pi, "".join(c["text"] for c in r), r))
    return out


def line(data: bytes, text: str) -> list[dict[str, Any]]:
    found = [r for _, t, r in lines_of(data) if t == text]
    assert len(found) == 1, [t for _, t, _ in lines_of(data)]
    return found[0]


def cells(x: float) -> float:
    return x / CELL


def notice(*blocks: Block, meta: Metadata | None = None) -> Document:
    body = (
        Title(plain("测试机关关于做好有关工作的通知")),
        Addressee(plain("各有关单位：")),
        Paragraph(plain("现将有关事项通知如下。" * 3)),
    )
    return Document(meta or Metadata(title="测试"), (*body, *blocks))


# -- 落款: GB/T 9704-2012 §7.3.5 ---------------------------------------------------------------


def test_notice_signature_right_two_and_date_two_right_of_it() -> None:
    """The sample notice (no seal): 最高人民检察院 (7 cells) is not shorter than its date, so the
    name stands two cells from the margin and the date starts two cells right of the name."""
    data = render(read_file(REAL / "gongwen_spp_notice_1997.txt"))
    name, date = line(data, "最高人民检察院"), line(data, "1997年10月6日")
    assert cells(RIGHT - name[-1]["x1"]) == pytest.approx(2, abs=0.02)
    assert cells(date[0]["x0"] - name[0]["x0"]) == pytest.approx(2, abs=0.02)
    assert date[-1]["x1"] <= RIGHT + 0.25  # never past the margin
    assert name[0]["top"] < date[0]["top"]


@pytest.mark.parametrize(
    ("signer", "date"),
    [("国务院办公厅", "2024年1月5日"), ("示范办公室", "2020年12月16日"), ("某局", "2024年1月5日")],
)
def test_unsealed_signature_gb9704_7_3_5_2(signer: str, date: str) -> None:
    """Name 右空二字 and the date's first character two cells right of the name's; a date
    longer than the name is 右空二字 itself and the name moves left with it."""
    data = render(notice(Signature((signer,), date)))
    name, day = line(data, signer), line(data, date)
    assert cells(day[0]["x0"] - name[0]["x0"]) == pytest.approx(2, abs=0.02)
    name_w, date_w = name[-1]["x1"] - name[0]["x0"], day[-1]["x1"] - day[0]["x0"]
    edge = day[-1]["x1"] if date_w > name_w + CELL / 4 else name[-1]["x1"]
    assert cells(RIGHT - edge) == pytest.approx(2, abs=0.3)  # a narrow last glyph: part of a cell
    assert day[-1]["x1"] <= RIGHT + 0.25  # an em (16 pt) glyph in its 15.79 pt cell


@dataclasses.dataclass(frozen=True, slots=True)
class _SealedMeta(Metadata):
    """Metadata with the 加盖印章 flag the front matter and ``-M has_seal`` will carry."""

    has_seal: bool = True


@pytest.mark.parametrize("signer", ["国务院办公厅", "中华人民共和国国家发展和改革委员会", "某局"])
def test_sealed_signature_gb9704_7_3_5_1(signer: str) -> None:
    """With a seal: the date 右空四字, the name centred over the date (a name too long for that
    ends at the margin instead)."""
    date = "2024年1月5日"
    data = render(notice(Signature((signer,), date), meta=_SealedMeta(title="测试")))
    name, day = line(data, signer), line(data, date)
    # The date's last cell ends four cells from the margin (its last glyph is 日, full width).
    assert cells(RIGHT - day[-1]["x1"]) == pytest.approx(4, abs=0.02)
    centre = (day[0]["x0"] + day[-1]["x1"]) / 2
    if len(signer) / 2 <= 4 + cells(day[-1]["x1"] - day[0]["x0"]) / 2:
        assert (name[0]["x0"] + name[-1]["x1"]) / 2 == pytest.approx(centre, abs=0.5)
    else:
        assert cells(RIGHT - name[-1]["x1"]) == pytest.approx(0, abs=0.05)
    assert name[-1]["x1"] <= RIGHT + 0.25


# -- 附件说明 and 附注 -----------------------------------------------------------------------------


def test_attachment_note_wrapped_names_align_after_the_number() -> None:
    """GB/T 9704-2012 §7.3.4: 附件：1. two characters in; a wrapped name under the name above,
    later numbers under the first."""
    long = "中华人民共和国工会法实施细则及其配套的若干具体规定和说明材料的汇编"
    items = (ListItem("1.", plain(long)), ListItem("2.", plain("有关统计表")))
    data = render(notice(Attachments("附件：", items), Signature(("测试机关",), "2024年1月5日")))
    rows = [(t, r) for _, t, r in lines_of(data)]
    k = next(i for i, (t, _) in enumerate(rows) if t.startswith("附件：1."))
    first, wrapped, second = rows[k][1], rows[k + 1][1], rows[k + 2][1]
    assert cells(first[0]["x0"] - LEFT) == pytest.approx(2, abs=0.02)
    name_x = next(c["x0"] for c in first if c["text"] == long[0])
    assert wrapped[0]["x0"] == pytest.approx(name_x, abs=0.05)
    number_x = next(c["x0"] for c in first if c["text"] == "1")
    assert second[0]["text"] == "2" and second[0]["x0"] == pytest.approx(number_x, abs=0.05)
    assert "".join(c["text"] for c in first + wrapped) == "附件：1." + long


def test_note_after_the_date_two_characters_in_on_the_next_line() -> None:
    """GB/T 9704-2012 §7.3.7: 附注 （此件公开发布） 左空二字, on the line after the date."""
    text = (
        "测试机关关于做好有关工作的通知\n\n各有关单位：\n\n现将有关事项通知如下，请遵照执行。\n\n"
        "测试机关\n2024年1月5日\n（此件公开发布）\n"
    )
    data = render(read_text(text).document)
    rows = lines_of(data)
    k = next(i for i, (_, t, _) in enumerate(rows) if t == "2024年1月5日")
    date, (_, note_text, note) = rows[k][2], rows[k + 1]
    assert note_text == "（此件公开发布）"
    assert cells(note[0]["x0"] - LEFT) == pytest.approx(2, abs=0.02)
    # the next row of the grid: one line pitch below the date
    pitch = GONGWEN.text_height_mm * MM / 22
    assert note[0]["top"] - date[0]["top"] == pytest.approx(pitch, abs=0.1)
