"""The default reference DOCX (``exporter template docx``): one paragraph in each of exporter's styles."""

from __future__ import annotations

import io

from exporter.model import (
    Addressee,
    Byline,
    CodeBlock,
    DocNumber,
    Document,
    Emphasis,
    Heading,
    Lead,
    ListBlock,
    ListItem,
    Metadata,
    Note,
    Paragraph,
    Quote,
    Signature,
    Strong,
    Subtitle,
    Text,
    Title,
    Verse,
    plain,
)
from exporter.options import STANDARD, Profile, WriteOptions

#: The specimen: each paragraph names the style it shows, so a clerk restyling it in Word or
#: WPS sees which style to change.
SPECIMEN = Document(
    Metadata(title="exporter 参考文档", language="zh-CN"),
    (
        DocNumber("文号（Document Number）"),
        Title(plain("标题（Title）")),
        Subtitle(plain("副标题（Subtitle）")),
        Byline(plain("署名（Byline）")),
        Addressee(plain("主送机关（Addressee）：")),
        Heading(1, "一、", plain("一级标题（heading 1）")),
        Paragraph(
            (
                Text("正文（Normal）：首行缩进两字，两端对齐。"),
                Emphasis((Text("着重号（Emphasis）"),)),
                Text("、"),
                Strong((Text("加粗（Strong）"),)),
                Text("与脚注"),
                Note((Text("脚注文字（footnote text）。"),)),
                Text("。"),
            )
        ),
        Heading(2, "（一）", plain("二级标题（heading 2）")),
        Lead("导语电头（Dateline）", plain("导语（Lead）。")),
        Heading(3, "1.", plain("三级标题（heading 3）")),
        Quote(plain("引文（Quote）。")),
        Heading(4, "（1）", plain("四级标题（heading 4）")),
        ListBlock(False, (ListItem("1.", plain("列表（List Paragraph）")),)),
        Verse((plain("诗行（Verse）第一行"), plain("第二行"))),
        CodeBlock("code (Code)"),
        Signature(("落款（Signature）",), "日期（Date）"),
    ),
)


def default_template(profile: Profile = STANDARD) -> bytes:
    """The default reference DOCX for a profile: exporter's styles, page setup and footers, no
    embedded fonts; the same bytes on every run (no SOURCE_DATE_EPOCH: the zip's placeholder time)."""
    from exporter.writers.docx.writer import DocxWriter

    buf = io.BytesIO()
    options = WriteOptions(profile=profile, embed_fonts=False, source_date_epoch=None)
    DocxWriter().write(SPECIMEN, options, buf)
    return buf.getvalue()
