"""TrueType subsets of a face with harfbuzz (for PDF and EPUB); CFF subsets converted to glyf."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from exporter.errors import FontError

if TYPE_CHECKING:
    from exporter.fonts.files import Face


def subset(face: Face, codepoints: Iterable[int], drop_tables: Iterable[str] = ()) -> bytes:
    """A TrueType subset of ``face`` holding the ``codepoints`` it maps (same input, same bytes).

    ``drop_tables`` are table tags left out (e.g. layout tables a PDF renderer never reads). A
    CFF-outline face is subset first and the (small) subset converted to TrueType outlines.
    """
    import uharfbuzz as hb

    inp = hb.SubsetInput()
    for cp in sorted(face.codepoints.intersection(codepoints)):
        inp.unicode_set.add(cp)
    for tag in drop_tables:
        inp.drop_table_tag_set.add(int.from_bytes(tag.encode("ascii"), "big"))
    out = hb.subset(face.hb_face, inp)
    if out is None:
        raise FontError(f"subsetting {face.file} failed")
    data = bytes(out.blob.data)
    if face.cff:
        from exporter.fonts.convert import cff_data_to_truetype

        return cff_data_to_truetype(data, str(face.file))
    return data
