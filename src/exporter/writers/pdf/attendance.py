"""The 纪要格式's attendance lists (出席：, 请假：, 列席：) set as GB/T 9704-2012 §10.3 asks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from exporter.model import Block, Inlines, Paragraph, Text

if TYPE_CHECKING:
    from exporter.options import Profile
    from exporter.writers.pdf.layout import Typesetter

#: The labels of the lists, each with its full-width colon.
LABELS = ("出席：", "请假：", "列席：", "缺席：")
#: §10.3: the label in 3号黑体, the names in 3号仿宋.
LABEL_ROLE = "heading1"


def attendance_label(profile: Profile, content: Inlines) -> str:
    """The label a 纪要's paragraph opens with when it is an attendance list, else ""."""
    if profile.official_format != "minutes" or len(content) != 1:
        return ""
    item = content[0]
    if not isinstance(item, Text):
        return ""
    return next((label for label in LABELS if item.text.startswith(label)), "")


def set_attendance(ts: Typesetter, label: str, content: Inlines, prev: Block | None) -> None:
    """One blank line above the first list, 左空二字, the label in 黑体, wrapped names aligned
    after the colon (§10.3)."""
    assert isinstance(content[0], Text)
    if not (isinstance(prev, Paragraph) and attendance_label(ts.p, prev.content)):
        ts.blank()
    size, indent = ts.body, ts.p.indent_chars * ts.cell
    label_para = ts.simple(label, LABEL_ROLE, size)
    para = ts.simple(label, LABEL_ROLE, size)
    ts.add(para, content[0].text[len(label) :], "body", size)
    ts.set_para(para, first=indent, rest=indent + ts.natural_width(label_para))
