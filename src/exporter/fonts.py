"""Font roles, bundled and user fonts, coverage checks, fallback and subsetting (API contract; first cut)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from . import diagnostics
from .errors import FontError
from .model import Block, Document, Heading, Subtitle, Title, block_texts
from .options import WriteOptions


@dataclass(frozen=True, slots=True)
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


class Face:
    """One loaded font face: its cmap, names, and ways to use it in PDF and EPUB."""

    def __init__(self, file: FontFile, bundled_key: str = "") -> None:
        self.file = file
        self.bundled_key = bundled_key

    @cached_property
    def _tt(self) -> Any:
        from fontTools.ttLib import TTFont

        try:
            return TTFont(str(self.file.path), fontNumber=self.file.index, lazy=True)
        except Exception as exc:
            raise FontError(f"cannot load font {self.file}: {exc}") from exc

    @cached_property
    def codepoints(self) -> frozenset[int]:
        cmap = self._tt.getBestCmap() or {}
        return frozenset(cmap)

    @cached_property
    def family(self) -> str:
        name = self._tt["name"]
        return str(name.getBestFamilyName() or self.file.path.stem)

    @cached_property
    def pdf_name(self) -> str:
        """A stable name to register the face under in reportlab."""
        digest = hashlib.sha1(str(self.file).encode()).hexdigest()[:8]
        return f"EXP-{self.bundled_key or 'user'}-{digest}"

    def has(self, ch: str) -> bool:
        return ord(ch) in self.codepoints

    def ttf_path(self) -> FontFile:
        """A TrueType-outline file of this face that reportlab can load."""
        return self.file

    def reportlab_font(self) -> str:
        """Register the face with reportlab once per process; returns its registered name."""
        return _register_reportlab(self.ttf_path(), self.pdf_name)

    def subset(self, text: str) -> bytes:
        """A TrueType subset of this face covering the characters of ``text`` (deterministic)."""
        import uharfbuzz as hb

        blob = hb.Blob.from_file_path(str(self.file.path))
        face = hb.Face(blob, self.file.index)
        inp = hb.SubsetInput()
        for cp in sorted({ord(c) for c in text if ord(c) in self.codepoints}):
            inp.unicode_set.add(cp)
        out = hb.subset(face, inp)
        if out is None:
            raise FontError(f"subsetting {self.file} failed")
        return bytes(out.blob.data)


@lru_cache(maxsize=None)
def _register_reportlab(file: FontFile, name: str) -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(name, str(file.path), subfontIndex=file.index))
    return name


# Characters that are never drawn on their own and need no glyph: joiners, variation selectors.
_IGNORABLE = {0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF} | set(range(0xFE00, 0xFE10))


def is_ignorable(ch: str) -> bool:
    cp = ord(ch)
    return ch.isspace() or cp in _IGNORABLE or 0xE0100 <= cp <= 0xE01EF


_DEV_FALLBACK = Path("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf")


def bundled_dir() -> Path:
    """The folder of the bundled fonts (inside the installed package, or the repository's fonts/)."""
    try:
        from importlib.resources import files

        return Path(str(files("exporter._fonts")))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[2] / "fonts"


def bundled_file(key: str) -> FontFile:
    """The bundled face for a key: song, song-bold, hei, kai."""
    # First cut: until the bundle lands, every key falls back to a system WenKai.
    return FontFile(_DEV_FALLBACK)


class FontSet:
    """The faces for every role of a profile, plus the fallback chain."""

    def __init__(self, options: WriteOptions) -> None:
        self.options = options
        self.profile = options.profile
        self._faces: dict[str, Face] = {}
        for role, spec in self.profile.roles.items():
            if role in options.fonts:
                self._faces[role] = _face(FontFile.parse(options.fonts[role]), "")
            else:
                self._faces[role] = _face(bundled_file(spec.bundled), spec.bundled)
        self.fallbacks: tuple[Face, ...] = ()

    def face(self, role: str) -> Face:
        return self._faces[role]

    def families(self, role: str) -> tuple[str, ...]:
        return self.profile.roles[role].families

    def runs(self, text: str, role: str) -> list[tuple[Face | None, str]]:
        """Split text into maximal runs by the face that draws each character (None: no face)."""
        primary = self._faces[role]
        out: list[tuple[Face | None, str]] = []
        for ch in text:
            face: Face | None = primary
            if not primary.has(ch) and not is_ignorable(ch):
                face = next((f for f in self.fallbacks if f.has(ch)), None)
            if out and out[-1][0] is face:
                out[-1] = (face, out[-1][1] + ch)
            else:
                out.append((face, ch))
        return out


@lru_cache(maxsize=64)
def _face(file: FontFile, key: str) -> Face:
    if not file.path.is_file():
        raise FontError(f"font file not found: {file.path}")
    return Face(file, key)


def fontset_for(options: WriteOptions) -> FontSet:
    """The FontSet for these options (cached per process)."""
    return _fontset(options)


@lru_cache(maxsize=16)
def _fontset(options: WriteOptions) -> FontSet:
    return FontSet(options)


def role_of(block: Block) -> str:
    """The font role a block's main text is set in."""
    if isinstance(block, Title):
        return "title"
    if isinstance(block, Subtitle):
        return "subtitle"
    if isinstance(block, Heading):
        return f"heading{min(block.level, 4)}"
    return "body"


@dataclass(frozen=True, slots=True)
class Uncovered:
    """A character no font covers, with where it first occurs."""

    char: str
    count: int
    first_block: int
    first_line: int | None = None

    @property
    def codepoint(self) -> str:
        return f"U+{ord(self.char):04X}"

    def __str__(self) -> str:
        where = f"line {self.first_line}" if self.first_line else f"block {self.first_block + 1}"
        return f"{self.codepoint} {self.char} at {where}"


def check_document(doc: Document, fontset: FontSet, source: str | None = None) -> list[Uncovered]:
    """Characters of ``doc`` that neither their role's face nor any fallback covers."""
    seen: dict[str, list[int]] = {}
    for i, block in enumerate(doc.blocks):
        role = role_of(block)
        for text in block_texts(block):
            for face, run in fontset.runs(text, role):
                if face is None:
                    for ch in run:
                        if is_ignorable(ch):
                            continue
                        entry = seen.setdefault(ch, [0, i])
                        entry[0] += 1
    result = []
    for ch, (count, block_index) in seen.items():
        line = None
        if source is not None:
            pos = source.find(ch)
            if pos >= 0:
                line = source.count("\n", 0, pos) + 1
        result.append(Uncovered(ch, count, block_index, line))
    return result


def report_uncovered(
    doc: Document, options: WriteOptions, source: str | None = None
) -> list[Uncovered]:
    """Check coverage once per document: warn (or, with ``strict``, raise FontError)."""
    missing = check_document(doc, fontset_for(options), source)
    if missing:
        listing = ", ".join(str(u) for u in missing[:20])
        more = f" (+{len(missing) - 20} more)" if len(missing) > 20 else ""
        message = f"{len(missing)} character(s) no font covers: {listing}{more}"
        if options.strict:
            raise FontError(message)
        diagnostics.warn("uncovered-chars", message, chars=[str(u) for u in missing])
    return missing


def chars_of(texts: Iterable[str]) -> str:
    """The distinct characters of some texts, sorted (for subsetting)."""
    return "".join(sorted({c for t in texts for c in t}))
