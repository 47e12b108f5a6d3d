"""Font files: opening .ttf/.otf/.ttc#N faces, the bundled faces, and the loaded :class:`Face`."""

from __future__ import annotations

import struct
from collections.abc import Iterable, Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

from exporter.errors import FontError
from exporter.record import record


@record
class FontFile:
    """A font file and a face index inside it (TTC collections)."""

    path: Path
    index: int = 0

    @classmethod
    def parse(cls, spec: str) -> FontFile:
        """``/path/font.ttf`` or ``/path/fonts.ttc#2``."""
        path, sep, idx = spec.rpartition("#")
        if sep and idx.isdigit():
            return cls(Path(path).expanduser(), int(idx))
        return cls(Path(spec).expanduser(), 0)

    def __str__(self) -> str:
        return f"{self.path}#{self.index}" if self.index else str(self.path)


@record
class Bundled:
    """One bundled face: its file in ``fonts/``, licence and licence file.

    ``defer``: characters the face maps but that are taken from the fallback chain instead
    (Zhuque Fangsong's quotation marks are proportional Latin forms; GB typesetting wants them
    full width, as the Song face has them).
    """

    file: str
    licence: str
    licence_file: str
    defer: frozenset[int] = frozenset()


#: The bundled faces by key (the ``bundled`` key of a profile's RoleSpec); fonts/README.md.
BUNDLED: Mapping[str, Bundled] = {
    "song": Bundled("NotoSerifCJKsc-Regular.ttf", "OFL-1.1", "LICENSE-Noto-CJK.txt"),
    "song-bold": Bundled("NotoSerifCJKsc-Bold.ttf", "OFL-1.1", "LICENSE-Noto-CJK.txt"),
    "hei": Bundled("NotoSansCJKsc-Regular.ttf", "OFL-1.1", "LICENSE-Noto-CJK.txt"),
    "kai": Bundled("LXGWWenKai-Regular.ttf", "OFL-1.1", "LICENSE-LXGW-WenKai.txt"),
    # Last: as a fallback it only adds what the faces above lack.
    "fangsong": Bundled(
        "ZhuqueFangsong-Regular.ttf",
        "OFL-1.1",
        "LICENSE-Zhuque-Fangsong.txt",
        # ‘ ’ “ ”: 176 and 331 of 1000 units in this face (its VS2 alternates are full width,
        # but a variation selector is not in the text); the Song face's are 1000.
        defer=frozenset({0x2018, 0x2019, 0x201C, 0x201D}),
    ),
    # Code (inline and blocks): Latin, Greek, Cyrillic and symbols, each 0.6 em.
    "mono": Bundled("NotoSansMono-Regular.ttf", "OFL-1.1", "LICENSE-Noto-Sans-Mono.txt"),
}


def probe(file: FontFile) -> frozenset[str]:
    """The table tags of a face, read from the sfnt header only; FontError when it is no font."""
    path = file.path
    try:
        with path.open("rb") as fh:
            header = fh.read(12)
            offset = 0
            if header[:4] == b"ttcf":
                count = struct.unpack(">I", header[8:12])[0]
                if file.index >= count:
                    raise FontError(f"{path} holds {count} face(s): no face #{file.index}")
                fh.seek(12 + 4 * file.index)
                offset = struct.unpack(">I", fh.read(4))[0]
                fh.seek(offset)
                header = fh.read(12)
            elif file.index:
                raise FontError(f"{path} is not a font collection: drop the #{file.index}")
            if header[:4] in (b"wOFF", b"wOF2"):
                raise FontError(f"{path} is a WOFF web font: pass the .ttf or .otf file instead")
            if len(header) < 12 or header[:4] not in (b"\0\1\0\0", b"OTTO", b"true"):
                raise FontError(f"not a font file (TrueType/OpenType expected): {path}")
            count = struct.unpack(">H", header[4:6])[0]
            directory = fh.read(16 * count)
    except FileNotFoundError:
        raise FontError(f"font file not found: {path}") from None
    except IsADirectoryError:
        raise FontError(f"font path is a folder, not a file: {path}") from None
    except OSError as exc:
        raise FontError(f"cannot read font {path}: {exc.strerror}") from None
    if len(directory) < 16 * count:
        raise FontError(f"not a font file (truncated table directory): {path}")
    return frozenset(directory[i : i + 4].decode("latin-1") for i in range(0, 16 * count, 16))


class Face:
    """One loaded font face: its cmap, names, and TrueType subsets of it for PDF and EPUB.

    A CFF-outline (``.otf``) face is read as it is; its subsets are converted to TrueType
    outlines, because PDF (FontFile2) and EPUB (``format("truetype")``) embed TrueType.
    """

    def __init__(self, file: FontFile, bundled_key: str = "") -> None:
        self.file = file
        self.bundled_key = bundled_key
        tables = probe(file)
        if "glyf" in tables:
            self.cff = False
        elif "CFF " in tables or "CFF2" in tables:
            self.cff = True
        else:
            raise FontError(
                f"{file} has no outlines (bitmap-only, e.g. colour emoji): it cannot be embedded"
            )

    def __repr__(self) -> str:
        return f"Face({self.file}{', ' + self.bundled_key if self.bundled_key else ''})"

    @cached_property
    def hb_face(self) -> Any:
        """The harfbuzz face (``uharfbuzz.Face``), loaded on first use."""
        import uharfbuzz as hb

        return hb.Face(hb.Blob.from_file_path(str(self.file.path)), self.file.index)

    @cached_property
    def codepoints(self) -> frozenset[int]:
        """Every code point the face maps to a glyph (harfbuzz reads the cmap in milliseconds)."""
        return frozenset(self.hb_face.unicodes)

    @cached_property
    def deferred(self) -> frozenset[int]:
        """Code points this face maps but leaves to the fallback chain (:attr:`Bundled.defer`)."""
        entry = BUNDLED.get(self.bundled_key)
        return entry.defer if entry is not None else frozenset()

    @cached_property
    def drawn(self) -> frozenset[int]:
        """The code points the face draws when it is a role's face: mapped and not deferred."""
        return self.codepoints - self.deferred if self.deferred else self.codepoints

    @cached_property
    def monospaced(self) -> bool:
        """The face says it is monospaced (``post.isFixedPitch``, OpenType ``post`` table)."""
        post = bytes(self.hb_face.reference_table("post").data)
        return len(post) >= 16 and struct.unpack(">I", post[12:16])[0] != 0

    @cached_property
    def em_top(self) -> float:
        """The top of the ideographic em box above the baseline, in ems: OS/2 sTypoAscender /
        unitsPerEm, which CJK faces set to the em box (Noto CJK 880/-120, Zhuque Fangsong
        850/-150); 0.88 for a face without ideographs (水) or without OS/2 typo metrics."""
        os2 = self.hb_face.reference_table("OS/2").data
        upem = int(self.hb_face.upem)
        # A face without ideographs has no ideographic em box: its typo ascender is the Latin
        # one (Noto Sans Mono 1069/-293), so it takes the CJK convention.
        if len(os2) < 72 or not upem or 0x6C34 not in self.codepoints:
            return 0.88
        ascender: int = struct.unpack(">h", os2[68:70])[0]
        return ascender / upem

    def _name(self, name_id: int) -> str:
        return str(self.hb_face.get_name(name_id) or "")

    @cached_property
    def family(self) -> str:
        return self._name(16) or self._name(1) or self.file.path.stem

    @cached_property
    def full_name(self) -> str:
        return self._name(4) or self.family

    @cached_property
    def licence(self) -> str:
        """The licence: the bundled table's, else the first sentence of the font's name ID 13."""
        if self.bundled_key in BUNDLED:
            return BUNDLED[self.bundled_key].licence
        text = self._name(13).strip()
        if not text:
            return "unknown (no licence in the font's name table)"
        first = text.split(". ")[0].splitlines()[0]
        return first if len(first) <= 80 else first[:77] + "..."

    def has(self, ch: str) -> bool:
        return ord(ch) in self.codepoints

    def coverage(self, codepoints: Iterable[int]) -> int:
        """How many of ``codepoints`` the face maps."""
        return len(self.codepoints.intersection(codepoints))

    def subset(self, text: str, drop_tables: Iterable[str] = ()) -> bytes:
        """A TrueType subset covering the characters of ``text`` (see :func:`subset.subset`)."""
        from exporter.fonts.subset import subset

        return subset(self, {ord(c) for c in text}, drop_tables)


def bundled_dir() -> Path:
    """The bundled fonts folder (inside the installed package, or the repository's fonts/)."""
    try:
        from importlib.resources import files

        return Path(str(files("exporter._fonts")))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[3] / "fonts"


def bundled_file(key: str) -> FontFile:
    """The bundled face for a key: song, song-bold, hei, kai, fangsong."""
    try:
        entry = BUNDLED[key]
    except KeyError:
        raise FontError(f"no bundled font {key!r} (known: {', '.join(BUNDLED)})") from None
    path = bundled_dir() / entry.file
    if not path.is_file():
        raise FontError(f"bundled font missing: {path} (reinstall exporter)")
    return FontFile(path)
