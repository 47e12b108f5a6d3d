"""The bundled default template (``default.docx``): built from exporter's part sources, the same bytes on every build.

Rebuild it after changing a part source (parts.py, styles.py) with
``python -m exporter.writers.docx.skeleton``; a test checks that the committed file equals a
rebuild. The template is the standard profile's package with an empty body: content types,
relationships, properties without an author or a date, styles, settings, font table and the
footer with its PAGE field. The writer opens it with python-docx (``Document(template)``) and
sets each document's profile, body, notes, pictures, fonts and properties on it.
"""

from __future__ import annotations

from pathlib import Path

from exporter.options import STANDARD
from exporter.writers import _zip
from exporter.writers.docx import parts
from exporter.writers.docx.styles import styles_xml

#: The committed template, next to this module (package data).
PATH = Path(__file__).with_name("default.docx")
#: The language the bundled styles and settings are written for (the profiles' default).
LANG = "zh-CN"


#: Core properties with every field empty: no author, no date (the writer sets each document's).
_EMPTY_CORE = parts.core_xml(
    title="", subject="", creator="", language="", identifier="", created=None, modified=None
)


def build() -> bytes:
    """The template's bytes: fixed zip times (no SOURCE_DATE_EPOCH), fixed member order."""
    profile = STANDARD
    footers = parts.footers_xml(profile)
    names = [name for name, _ in footers]
    document = (
        f'{parts.XML_DECL}<w:document xmlns:w="{parts.W_NS}" xmlns:r="{parts.R_NS}" '
        f'xmlns:wp="{parts.WP_NS}"><w:body>{parts.section_xml(profile)}</w:body></w:document>'
    )
    members = [
        ("[Content_Types].xml", parts.content_types_xml(names, False)),
        ("_rels/.rels", parts.package_rels_xml()),
        ("docProps/core.xml", _EMPTY_CORE),
        ("docProps/app.xml", parts.app_xml("")),
        ("docProps/custom.xml", parts.custom_xml(())),
        ("word/document.xml", document),
        ("word/_rels/document.xml.rels", parts.document_rels_xml(names, False)),
        ("word/styles.xml", styles_xml(profile, LANG)),
        ("word/settings.xml", parts.settings_xml(profile, LANG)),
        ("word/fontTable.xml", parts.font_table_xml(profile, {})),
        *footers,
    ]
    return _zip.package([(n, x.encode("utf-8")) for n, x in members], explicit_epoch=None)


if __name__ == "__main__":
    PATH.write_bytes(build())
    print(f"wrote {PATH}")
