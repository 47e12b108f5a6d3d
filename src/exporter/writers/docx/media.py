"""DOCX images and relationships: pixel sizes read from PNG/JPEG headers, media parts, inline drawings."""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from exporter.model import Resource
from exporter.record import record
from exporter.writers._xml import attr

A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC_NS = "http://schemas.openxmlformats.org/drawingml/2006/picture"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

#: The picture formats Word and WPS show without a converter, by media type: the part's extension.
EXTENSIONS = {"image/png": "png", "image/jpeg": "jpeg"}
#: English Metric Units (ECMA-376 Part 1 §20.1.2.1): 914400 an inch, so 9525 a pixel at 96 dpi.
EMU_PER_PX = 9525
EMU_PER_MM = 36000
EMU_PER_TWIP = 635

# JPEG start-of-frame markers (ITU T.81 §B.1.1.3, Table B.1): C0-CF but DHT (C4), JPG (C8), DAC (CC).
_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def pixel_size(media_type: str, data: bytes) -> tuple[int, int] | None:
    """(width, height) in pixels from a PNG's IHDR or a JPEG's SOF segment; None when unreadable."""
    if media_type == "image/png":
        # PNG (ISO/IEC 15948 §5.2, §11.2.2): the 8-byte signature, then IHDR's width and height.
        if len(data) >= 24 and data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
            w, h = struct.unpack(">II", data[16:24])
            return (w, h) if w and h else None
        return None
    if media_type == "image/jpeg":
        if data[:2] != b"\xff\xd8":
            return None
        i = 2
        while i + 4 <= len(data):
            if data[i] != 0xFF:
                return None
            marker = data[i + 1]
            if marker == 0xFF:  # fill byte
                i += 1
                continue
            if marker in (0x01, *range(0xD0, 0xD8)):  # markers without a length
                i += 2
                continue
            (length,) = struct.unpack(">H", data[i + 2 : i + 4])
            if marker in _SOF and i + 9 <= len(data):
                h, w = struct.unpack(">HH", data[i + 5 : i + 9])
                return (w, h) if w and h else None
            i += 2 + length
        return None
    return None


@record
class Picture:
    """An image resource as a part of the package: its name in the package and its pixel size."""

    part: str  # word/media/imageN.ext
    width_px: int
    height_px: int


@dataclass
class Relations:
    """One part's relationships (ECMA-376 Part 2 §9.3): external hyperlinks and images, by target,
    each added once, with ids in order of first use."""

    prefix: str
    items: list[tuple[str, str, str, bool]] = field(default_factory=list)  # id, type, target, ext
    _ids: dict[tuple[str, str], str] = field(default_factory=dict)

    def add(self, kind: str, target: str, external: bool) -> str:
        key = (kind, target)
        rid = self._ids.get(key)
        if rid is None:
            rid = self._ids[key] = f"{self.prefix}{len(self.items) + 1}"
            self.items.append((rid, f"{_REL}/{kind}", target, external))
        return rid

    def hyperlink(self, url: str) -> str:
        # §17.16.22 hyperlink: r:id names a relationship of type hyperlink, TargetMode External.
        return self.add("hyperlink", url, True)

    def image(self, picture: Picture) -> str:
        return self.add("image", picture.part.removeprefix("word/"), False)


@dataclass
class Media:
    """The document's pictures: each embedded resource one part, named in order of first use."""

    resources: dict[str, Resource]
    pictures: dict[str, Picture | None] = field(default_factory=dict)
    parts: list[tuple[str, bytes]] = field(default_factory=list)
    drawings: int = 0  # wp:docPr ids given so far (unique in the document, §20.4.2.5)

    def picture(self, resource_id: str) -> Picture | None:
        """The package part of a resource, None when the document lacks it or it is no PNG/JPEG
        whose size can be read (its image then stands as its alt text)."""
        if resource_id in self.pictures:
            return self.pictures[resource_id]
        res = self.resources.get(resource_id)
        picture = None
        if res is not None and res.media_type in EXTENSIONS:
            size = pixel_size(res.media_type, res.data)
            if size is not None:
                name = f"word/media/image{len(self.parts) + 1}.{EXTENSIONS[res.media_type]}"
                self.parts.append((name, res.data))
                picture = Picture(name, *size)
        self.pictures[resource_id] = picture
        return picture

    def extensions(self) -> list[str]:
        """The extensions of the media parts, for the content types' Default entries."""
        return sorted({name.rsplit(".", 1)[1] for name, _ in self.parts})

    def next_id(self) -> int:
        self.drawings += 1
        return self.drawings


def extent(picture: Picture, max_w: int, max_h: int) -> tuple[int, int]:
    """The picture's size in EMU at 96 dpi, scaled down (never up) to fit max_w x max_h."""
    w, h = picture.width_px * EMU_PER_PX, picture.height_px * EMU_PER_PX
    scale = min(1.0, max_w / w, max_h / h)
    return max(1, round(w * scale)), max(1, round(h * scale))


def drawing(rid: str, did: int, picture: Picture, alt: str, size: tuple[int, int]) -> str:
    """A run holding an inline picture (§20.4.2.8 inline, §20.2.2.5 pic): its alt text is the
    docPr and cNvPr descr, so screen readers and Word's alt-text pane have it."""
    cx, cy = size
    name = picture.part.rsplit("/", 1)[1]
    descr = attr(alt)
    return (
        '<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{did}" name="Picture {did}" descr="{descr}"/>'
        f'<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="{A_NS}" noChangeAspect="1"/>'
        f'</wp:cNvGraphicFramePr><a:graphic xmlns:a="{A_NS}">'
        f'<a:graphicData uri="{PIC_NS}"><pic:pic xmlns:pic="{PIC_NS}">'
        f'<pic:nvPicPr><pic:cNvPr id="{did}" name="{name}" descr="{descr}"/>'
        '<pic:cNvPicPr><a:picLocks noChangeAspect="1" noChangeArrowheads="1"/></pic:cNvPicPr>'
        f'</pic:nvPicPr><pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/>'
        '</a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/>'
        f'<a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        "</pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    )
