"""Font roles, bundled and user fonts, coverage checks, fallback and subsetting."""

from __future__ import annotations

import bisect
import hashlib
import io
import os
import shutil
import struct
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Any

from exporter import diagnostics
from exporter.errors import FontError
from exporter.model import Block, Document, Heading, Subtitle, Title, block_texts
from exporter.options import ROLES, WriteOptions


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


@dataclass(frozen=True, slots=True)
class Bundled:
    """One bundled face: its file in ``fonts/``, licence and licence file."""

    file: str
    licence: str
    licence_file: str


#: The bundled faces by key (the ``bundled`` key of a profile's RoleSpec); fonts/README.md.
BUNDLED: Mapping[str, Bundled] = {
    "song": Bundled("NotoSerifCJKsc-Regular.ttf", "OFL-1.1", "LICENSE-Noto-CJK.txt"),
    "song-bold": Bundled("NotoSerifCJKsc-Bold.ttf", "OFL-1.1", "LICENSE-Noto-CJK.txt"),
    "hei": Bundled("NotoSansCJKsc-Regular.ttf", "OFL-1.1", "LICENSE-Noto-CJK.txt"),
    "kai": Bundled("LXGWWenKai-Regular.ttf", "OFL-1.1", "LICENSE-LXGW-WenKai.txt"),
}

_FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")


def _probe(file: FontFile) -> frozenset[str]:
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
    """One loaded font face: its cmap, names, and ways to use it in PDF and EPUB.

    TrueType-outline faces are used as they are. CFF-outline (``.otf``) faces are converted to
    TrueType outlines, because reportlab embeds TrueType only: a role font is converted whole
    once (cached on disk, keyed by the file's hash); a fallback face (``partial``) only for the
    characters :meth:`FontSet.runs` has sent to it, which is far faster for a big CJK font.
    """

    def __init__(self, file: FontFile, bundled_key: str = "", *, partial: bool = False) -> None:
        self.file = file
        self.bundled_key = bundled_key
        tables = _probe(file)
        if "glyf" in tables:
            self.cff = False
        elif "CFF " in tables or "CFF2" in tables:
            self.cff = True
        else:
            raise FontError(
                f"{file} has no outlines (bitmap-only, e.g. colour emoji): it cannot be embedded"
            )
        self.partial = partial and self.cff
        #: Code points runs() sent to a partial CFF face (what its TrueType copy must hold).
        self.wanted: set[int] = set()
        self._converted: tuple[int, FontFile] | None = None

    def __repr__(self) -> str:
        return f"Face({self.file}{', ' + self.bundled_key if self.bundled_key else ''})"

    @cached_property
    def _hb_face(self) -> Any:
        import uharfbuzz as hb

        return hb.Face(hb.Blob.from_file_path(str(self.file.path)), self.file.index)

    @cached_property
    def codepoints(self) -> frozenset[int]:
        """Every code point the face maps to a glyph (harfbuzz reads the cmap in milliseconds)."""
        return frozenset(self._hb_face.unicodes)

    def _name(self, name_id: int) -> str:
        return str(self._hb_face.get_name(name_id) or "")

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

    @cached_property
    def pdf_name(self) -> str:
        """A stable name to register the face under in reportlab."""
        if self.bundled_key:
            return f"EXP-{self.bundled_key}"
        digest = hashlib.sha1(str(self.file).encode()).hexdigest()[:8]
        return f"EXP-user-{digest}"

    def has(self, ch: str) -> bool:
        return ord(ch) in self.codepoints

    def coverage(self, codepoints: Iterable[int]) -> int:
        """How many of ``codepoints`` the face maps."""
        return len(self.codepoints.intersection(codepoints))

    def ttf_path(self) -> FontFile:
        """A TrueType-outline file of this face that reportlab can load."""
        if not self.cff:
            return self.file
        if self.partial:
            if self._converted is None or self._converted[0] != len(self.wanted):
                cps = self.wanted | _BASE_CHARS
                key = _file_hash(self.file) + hashlib.sha256(_cp_bytes(cps)).hexdigest()[:16]
                path = _cached(key, lambda: _cff_subset_to_ttf(self._hb_face, cps, self.file))
                self._converted = (len(self.wanted), FontFile(path))
            return self._converted[1]
        if self._converted is None:
            path = _cached(_file_hash(self.file), lambda: _cff_file_to_ttf(self.file))
            self._converted = (0, FontFile(path))
        return self._converted[1]

    def reportlab_font(self) -> str:
        """Register the face with reportlab once per process; returns its registered name."""
        file = self.ttf_path()
        name = self.pdf_name
        if self.partial:
            name = f"{name}-{hashlib.sha1(file.path.name.encode()).hexdigest()[:6]}"
        return _register_reportlab(file, name)

    def subset(self, text: str) -> bytes:
        """A TrueType subset of this face covering the characters of ``text`` (deterministic)."""
        cps = {ord(c) for c in text} & self.codepoints
        if self.cff:
            return _cff_subset_to_ttf(self._hb_face, cps, self.file)
        return _hb_subset(self._hb_face, cps, self.file)


def _hb_subset(hb_face: Any, cps: Iterable[int], file: FontFile) -> bytes:
    import uharfbuzz as hb

    inp = hb.SubsetInput()
    for cp in sorted(cps):
        inp.unicode_set.add(cp)
    out = hb.subset(hb_face, inp)
    if out is None:
        raise FontError(f"subsetting {file} failed")
    return bytes(out.blob.data)


def _cff_subset_to_ttf(hb_face: Any, cps: Iterable[int], file: FontFile) -> bytes:
    """Subset a CFF face with harfbuzz, then convert the (small) subset to TrueType outlines."""
    from fontTools.ttLib import TTFont

    data = _hb_subset(hb_face, cps, file)
    return _converted(file, lambda: TTFont(io.BytesIO(data), recalcTimestamp=False))


def _cff_file_to_ttf(file: FontFile) -> bytes:
    """Convert a whole CFF face to TrueType outlines (slow for a big CJK font: done once)."""
    from fontTools.ttLib import TTFont

    diagnostics.warn(
        "font-converted",
        f"converting the CFF outlines of {file} to TrueType once (cached in {cache_dir()})",
        font=str(file),
    )
    return _converted(
        file, lambda: TTFont(str(file.path), fontNumber=file.index, recalcTimestamp=False)
    )


def _converted(file: FontFile, load: Callable[[], Any]) -> bytes:
    """Load a CFF font, convert its outlines to TrueType, return the new file's bytes."""
    try:
        tt = load()
        cff_to_glyf(tt)
        buf = io.BytesIO()
        tt.save(buf)
    except FontError:
        raise
    except Exception as exc:
        raise FontError(
            f"cannot convert the CFF outlines of {file} to TrueType ({exc}): "
            "convert it yourself (e.g. fontTools otf2ttf) or pass a .ttf font"
        ) from exc
    return buf.getvalue()


# Characters every TrueType copy of a partial face holds besides those asked for.
_BASE_CHARS = frozenset(range(0x20, 0x7F))


def _cp_bytes(cps: Iterable[int]) -> bytes:
    return ",".join(f"{cp:X}" for cp in sorted(cps)).encode()


@cache
def _file_hash(file: FontFile) -> str:
    with file.path.open("rb") as fh:
        digest = hashlib.file_digest(fh, "sha256").hexdigest()
    return f"{digest[:32]}-{file.index}"


def cache_dir() -> Path:
    """Where converted fonts are cached: ``$XDG_CACHE_HOME/exporter/fonts``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "exporter" / "fonts"


def _cached(key: str, make: Any) -> Path:
    """The cached file for ``key``, made with ``make() -> bytes`` when missing (atomic write)."""
    for folder in (
        cache_dir(),
        Path(tempfile.gettempdir()) / f"exporter-fonts-{os.getuid()}",
    ):
        path = folder / f"{key}.ttf"
        if path.is_file():
            return path
        try:
            folder.mkdir(parents=True, exist_ok=True)
            data = make()
            fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
            return path
        except PermissionError:
            continue
    raise FontError(f"cannot write converted font to {cache_dir()}: set XDG_CACHE_HOME")


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap, with code points above U+FFFF written as UTF-16BE surrogate
    pairs (PDF 32000-1 §9.10.3); reportlab 5.1 writes them as 5 hex digits, which breaks text
    extraction of CJK Extension B and emoji."""
    head = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
    ]
    body = []
    for i, cp in enumerate(subset):
        if 0x10000 <= cp <= 0x10FFFF:
            body.append(f"<{i:02X}> <{chr(cp).encode('utf-16-be').hex().upper()}>")
        else:
            body.append(f"<{i:02X}> <{cp:04X}>")
    tail = ["endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(head + body + tail)


@cache
def _register_reportlab(file: FontFile, name: str) -> str:
    from reportlab.pdfbase import pdfmetrics, ttfonts
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    ttfonts.makeToUnicodeCMap = _to_unicode_cmap

    try:
        pdfmetrics.registerFont(TTFont(name, str(file.path), subfontIndex=file.index))
    except TTFError as exc:
        raise FontError(f"reportlab cannot use {file}: {exc}") from exc
    return name


# Characters that are never drawn on their own and need no glyph: joiners, variation selectors.
_IGNORABLE = {0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF} | set(range(0xFE00, 0xFE10))


def is_ignorable(ch: str) -> bool:
    cp = ord(ch)
    return ch.isspace() or cp in _IGNORABLE or 0xE0100 <= cp <= 0xE01EF


def bundled_dir() -> Path:
    """The bundled fonts folder (inside the installed package, or the repository's fonts/)."""
    try:
        from importlib.resources import files

        return Path(str(files("exporter._fonts")))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[3] / "fonts"


def bundled_file(key: str) -> FontFile:
    """The bundled face for a key: song, song-bold, hei, kai."""
    try:
        entry = BUNDLED[key]
    except KeyError:
        raise FontError(f"no bundled font {key!r} (known: {', '.join(BUNDLED)})") from None
    path = bundled_dir() / entry.file
    if not path.is_file():
        raise FontError(f"bundled font missing: {path} (reinstall exporter)")
    return FontFile(path)


def _cjk_count(file: FontFile) -> int:
    """How many CJK Unified Ideographs (U+4E00-9FFF) a face maps (for picking from a folder)."""
    import uharfbuzz as hb

    face = hb.Face(hb.Blob.from_file_path(str(file.path)), file.index)
    return sum(1 for cp in face.unicodes if 0x4E00 <= cp <= 0x9FFF)


def _face_count(path: Path) -> int:
    """How many faces a font file holds (1 unless it is a TTC/OTC collection)."""
    with path.open("rb") as fh:
        header = fh.read(12)
    if header[:4] == b"ttcf" and len(header) == 12:
        return int(struct.unpack(">I", header[8:12])[0])
    return 1


def resolve_spec(spec: str) -> FontFile:
    """A user font spec: ``file.ttf``, ``file.ttc#2`` or a folder (its face covering most CJK)."""
    file = FontFile.parse(spec)
    if not file.path.is_dir():
        _probe(file)
        return file
    best: tuple[int, FontFile] | None = None
    for path in sorted(file.path.iterdir()):
        if path.suffix.lower() not in _FONT_SUFFIXES or not path.is_file():
            continue
        try:
            for index in range(_face_count(path)):
                candidate = FontFile(path, index)
                _probe(candidate)
                score = _cjk_count(candidate)
                if best is None or score > best[0]:
                    best = (score, candidate)
        except FontError:
            continue
    if best is None:
        raise FontError(f"no usable font file (.ttf .otf .ttc .otc) in folder {file.path}")
    return best[1]


@dataclass(frozen=True, slots=True)
class _SystemFace:
    file: FontFile
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    rank: tuple[float, float, float]

    def has(self, cp: int) -> bool:
        i = bisect.bisect_right(self.starts, cp) - 1
        return i >= 0 and cp <= self.ends[i]


@lru_cache(maxsize=1)
def _system_faces() -> tuple[_SystemFace, ...]:
    """Scalable system faces with their coverage, from one ``fc-list`` call (path order)."""
    exe = shutil.which("fc-list")
    if exe is None:
        return ()
    try:
        out = subprocess.run(
            [
                exe,
                "--format",
                "%{file}\t%{index}\t%{weight}\t%{slant}\t%{width}\t%{charset}\n",
                ":scalable=true",
            ],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    faces = []
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) != 6 or not parts[1].isdigit():
            continue
        starts: list[int] = []
        ends: list[int] = []
        try:
            # Prefer upright, regular-weight, normal-width faces (fontconfig: 80, 0, 100).
            rank = (abs(float(parts[2]) - 80), float(parts[3]), abs(float(parts[4]) - 100))
            for item in parts[5].split():
                lo, _, hi = item.partition("-")
                starts.append(int(lo, 16))
                ends.append(int(hi or lo, 16))
        except ValueError:
            continue
        faces.append(
            _SystemFace(FontFile(Path(parts[0]), int(parts[1])), tuple(starts), tuple(ends), rank)
        )
    faces.sort(key=lambda f: (f.rank, str(f.file.path), f.file.index))
    return tuple(faces)


_warned_substitutions: set[tuple[str, str]] = set()


class FontSet:
    """The faces for every role of a profile, plus the fallback chain.

    ``options.fonts`` overrides a role (``body``) or adds a fallback (``fallback``); a role the
    user sets also sets the roles of the same family and bundled face that the user left alone
    (gongwen: a FangSong for ``body`` also sets headings 3 and 4, GB/T 9704 §7.3.3).
    Fallback chain, in order: the other bundled faces, ``options.fallback_fonts``, then system
    fonts found by fontconfig (``options.system_fonts``).
    """

    def __init__(self, options: WriteOptions) -> None:
        self.options = options
        self.profile = options.profile
        unknown = sorted(set(options.fonts) - set(ROLES) - {"fallback"})
        if unknown:
            raise FontError(f"unknown font role {unknown[0]!r} (roles: {', '.join(ROLES)})")
        self._faces: dict[str, Face] = {}
        roles = self.profile.roles
        for role, spec in roles.items():
            source = role if role in options.fonts else None
            if source is None:
                source = next(
                    (
                        r
                        for r in ROLES
                        if r in options.fonts
                        and r in roles
                        and roles[r].families == spec.families
                        and roles[r].bundled == spec.bundled
                    ),
                    None,
                )
            if source is not None:
                self._faces[role] = _face(resolve_spec(options.fonts[source]), "")
            else:
                self._faces[role] = _face(bundled_file(spec.bundled), spec.bundled)
                note = self.profile.substitutions.get(role)
                if note and (self.profile.name, role) not in _warned_substitutions:
                    _warned_substitutions.add((self.profile.name, role))
                    diagnostics.warn(
                        "font-substitution",
                        f"{self.profile.name} profile, {role}: {note}",
                        role=role,
                        profile=self.profile.name,
                    )
        chain: list[Face] = [_face(bundled_file(key), key) for key in BUNDLED]
        user = list(options.fallback_fonts)
        if "fallback" in options.fonts:
            user.append(options.fonts["fallback"])
        chain += [_face(resolve_spec(spec), "", partial=True) for spec in user]
        self.fallbacks: tuple[Face, ...] = tuple(dict.fromkeys(chain))
        self._known = {str(f.file) for f in (*self.fallbacks, *self._faces.values())}
        self._fallback_cache: dict[int, Face | None] = {}

    def face(self, role: str) -> Face:
        return self._faces[role]

    def families(self, role: str) -> tuple[str, ...]:
        return self.profile.roles[role].families

    def fallback_for(self, cp: int) -> Face | None:
        """The first face of the fallback chain that maps ``cp`` (None: no font covers it)."""
        try:
            return self._fallback_cache[cp]
        except KeyError:
            pass
        found = next((f for f in self.fallbacks if cp in f.codepoints), None)
        if found is None and self.options.system_fonts:
            for sys_face in _system_faces():
                if sys_face.has(cp) and str(sys_face.file) not in self._known:
                    try:
                        face = _face(sys_face.file, "", partial=True)
                    except FontError:
                        continue
                    if cp in face.codepoints:
                        found = face
                        break
        self._fallback_cache[cp] = found
        return found

    def runs(self, text: str, role: str) -> list[tuple[Face | None, str]]:
        """Split text into maximal runs by the face that draws each character (None: no face).

        Ignorable characters (spaces, joiners, variation selectors) stay in the current run.
        """
        primary = self._faces[role]
        cps = primary.codepoints
        out: list[tuple[Face | None, str]] = []
        current: Face | None = primary
        start = 0
        for i, ch in enumerate(text):
            cp = ord(ch)
            if cp in cps:
                face: Face | None = primary
            elif is_ignorable(ch):
                continue
            else:
                face = self.fallback_for(cp)
                if face is not None and face.partial:
                    face.wanted.add(cp)
            if face is not current:
                if i > start:
                    out.append((current, text[start:i]))
                current, start = face, i
        if start < len(text):
            out.append((current, text[start:]))
        return out


@lru_cache(maxsize=64)
def _face(file: FontFile, key: str, partial: bool = False) -> Face:
    return Face(file, key, partial=partial)


_fontsets: dict[tuple[str, int], FontSet] = {}


def fontset_for(options: WriteOptions) -> FontSet:
    """The FontSet for these options (cached per process; options hold unhashable mappings)."""
    key = (options.fingerprint(), id(options.profile))
    fontset = _fontsets.get(key)
    if fontset is None or fontset.profile is not options.profile:
        fontset = _fontsets[key] = FontSet(options)
    return fontset


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
    """Characters of ``doc`` that neither their role's face nor any fallback covers.

    In order of first occurrence; ``source`` (the text the document was read from) gives lines.
    """
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
    """Check coverage once per document: warn (or, with ``strict``, raise FontError).

    The batch runner checks first, with the source text so the report names lines; a writer
    that checks the same document object again gets the remembered answer and no second warning.
    """
    key = (id(doc), options.fingerprint())
    for seen_key, seen_doc, seen_missing in _checked:
        if seen_key == key and seen_doc is doc:
            if seen_missing and options.strict:
                raise FontError(_uncovered_message(seen_missing))
            return seen_missing
    missing = check_document(doc, fontset_for(options), source)
    _checked.append((key, doc, missing))  # holds ``doc`` so that its id is not reused meanwhile
    del _checked[:-4]
    if missing:
        message = _uncovered_message(missing)
        if options.strict:
            raise FontError(message)
        diagnostics.warn("uncovered-chars", message, chars=[str(u) for u in missing])
    return missing


_checked: list[tuple[tuple[int, str], Document, list[Uncovered]]] = []


def _uncovered_message(missing: list[Uncovered]) -> str:
    listing = ", ".join(str(u) for u in missing[:20])
    more = f" (+{len(missing) - 20} more)" if len(missing) > 20 else ""
    return f"{len(missing)} character(s) no font covers: {listing}{more}"


def chars_of(texts: Iterable[str]) -> str:
    """The distinct characters of some texts, sorted (for subsetting)."""
    return "".join(sorted({c for t in texts for c in t}))


# -- Character sets and CFF -> TrueType conversion (shared with fonts/build.py) -------------------


@cache
def charset(name: str) -> frozenset[int]:
    """The code points of a legacy Chinese character set: ``gb2312``, ``gbk`` or ``big5``."""
    if name == "gb2312":
        leads, trails = range(0xA1, 0xF8), range(0xA1, 0xFF)
    elif name in ("gbk", "big5"):
        leads = range(0x81, 0xFF)
        trails = range(0x40, 0xFF)
    else:
        raise ValueError(f"unknown character set {name!r}")
    found: set[int] = set()
    for lead in leads:
        for trail in trails:
            try:
                text = bytes((lead, trail)).decode(name)
            except UnicodeDecodeError:
                continue
            if len(text) == 1:
                found.add(ord(text))
    return frozenset(found)


def cff_to_glyf(tt: Any, max_err: float = 1.0) -> None:
    """Convert a loaded CFF-outline fontTools TTFont to TrueType (glyf) outlines in place.

    Cubic curves become quadratic ones with cu2qu (error at most ``max_err`` font units); contour
    direction is reversed (CFF counter-clockwise, TrueType clockwise); ``post`` becomes format 3
    (no glyph names: format 2 cannot name 65,535 glyphs, and nothing here needs the names).
    """
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    cff_tag = "CFF " if "CFF " in tt else "CFF2"
    if cff_tag not in tt:
        raise FontError("no CFF outlines to convert")
    order = tt.getGlyphOrder()
    glyph_set = tt.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        glyph_set[name].draw(Cu2QuPen(pen, max_err, reverse_direction=True))
        glyphs[name] = pen.glyph()
    tt["loca"] = newTable("loca")
    glyf = tt["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    for tag in (cff_tag, "VORG", "HVAR", "VVAR"):
        if tag in tt:
            del tt[tag]
    glyf.compile(tt)
    hmtx = tt["hmtx"]
    for name, glyph in glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)
    maxp = tt["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for attr in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attr, 0)
    maxp.compile(tt)
    post = tt["post"]
    post.formatType = 3.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    tt["head"].glyphDataFormat = 0
    tt.sfntVersion = "\x00\x01\x00\x00"
