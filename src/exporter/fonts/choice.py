"""A user font spec to a face: a file, a ``.ttc#N`` face, or the best face of a folder tree."""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from pathlib import Path

from exporter.errors import FontError
from exporter.fonts.files import FontFile, probe
from exporter.fonts.traits import Traits, read_traits, variant_of
from exporter.record import record

FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
#: Bounds of a folder search: font files read, folder entries looked at, folder depth.
MAX_FONT_FILES = 2000
MAX_ENTRIES = 100_000
MAX_DEPTH = 16

REGULAR, BOLD = 400, 700


@record
class Choice:
    """The face a spec resolved to and, for a folder, why it won."""

    file: FontFile
    folder: Path | None = None
    traits: Traits | None = None
    wanted: str = "SC"
    weight: int = REGULAR
    candidates: int = 1
    latin: bool = False  # chosen for Latin text (the latin role), not Chinese
    stopped: bool = False  # the search hit a bound before it saw the whole tree
    installed: str = ""  # found installed by this family name, not given by the user
    installed_via: str = "fontconfig"  # or "the system font folders" (no fontconfig)

    def reason(self) -> str:
        """``from folder /x: SC, weight 400, upright; 3 candidates``, or ``installed, found by
        its name 仿宋_GB2312 (fontconfig)`` (empty for a file spec)."""
        if self.installed:
            return f"installed, found by its name {self.installed} ({self.installed_via})"
        if self.folder is None or self.traits is None:
            return ""
        t = self.traits
        if self.latin:
            variant = f"Latin {t.latin}/62"
        elif t.variant in (self.wanted, "CJK", "no CJK"):
            variant = t.variant
        else:
            variant = f"{t.variant}, not {self.wanted}"
        slant = "italic" if t.italic else "upright"
        weight = f"weight {t.weight}" + ("" if t.weight == self.weight else f", not {self.weight}")
        more = f" (search stopped at {MAX_FONT_FILES} font files)" if self.stopped else ""
        return (
            f"from folder {self.folder}: {variant}, {weight}, {slant}; "
            f"{self.candidates} candidate{'s' if self.candidates != 1 else ''}{more}"
        )


def _face_count(path: Path) -> int:
    """How many faces a font file holds (1 unless it is a TTC/OTC collection)."""
    with path.open("rb") as fh:
        header = fh.read(12)
    if header[:4] == b"ttcf" and len(header) == 12:
        return int(struct.unpack(">I", header[8:12])[0])
    return 1


def _font_files(root: Path) -> Iterator[Path]:
    """Font files under ``root`` in sorted order, depth first; symlinked folders are followed
    once (a loop or a second link to a visited folder is skipped), a file reached twice counts
    once. Unreadable folders are skipped; stops after :data:`MAX_ENTRIES` entries."""
    seen_dirs: set[tuple[int, int]] = set()
    seen_files: set[tuple[int, int]] = set()
    entries = 0

    def walk(folder: Path, depth: int) -> Iterator[Path]:
        nonlocal entries
        try:
            st = folder.stat()
            if (st.st_dev, st.st_ino) in seen_dirs:
                return
            seen_dirs.add((st.st_dev, st.st_ino))
            with os.scandir(folder) as it:
                names = sorted(entry.name for entry in it)
        except OSError:
            return
        for name in names:
            entries += 1
            if entries > MAX_ENTRIES:
                return
            path = folder / name
            try:
                st = path.stat()
            except OSError:  # a broken link, or gone meanwhile
                continue
            if path.is_dir():
                if depth < MAX_DEPTH:
                    yield from walk(path, depth + 1)
            elif path.suffix.lower() in FONT_SUFFIXES and path.is_file():
                if (st.st_dev, st.st_ino) not in seen_files:
                    seen_files.add((st.st_dev, st.st_ino))
                    yield path

    yield from walk(root, 0)


def _rank(
    t: Traits, variant: str, weight: int, latin: bool, families: frozenset[str]
) -> tuple[int, ...]:
    """Sort key, best first: has CJK at all, evidence for the wanted variant over the others,
    upright, weight nearest, a family the role names (Song for body, not Hei), most CJK (then
    path and face index, by the caller). For Latin text: most ASCII letters and digits first."""
    rest = (int(t.italic), abs(t.weight - weight), -bool(t.families & families))
    if latin:
        return (-t.latin, *rest)
    return (-bool(t.cjk), -t.language_score(variant), *rest, -t.cjk)


def choose_in_folder(
    folder: Path,
    language: str = "zh-CN",
    weight: int = REGULAR,
    latin: bool = False,
    families: tuple[str, ...] = (),
) -> Choice:
    """The face of a folder tree for text in ``language`` (or Latin text) at ``weight``.

    Deterministic: the walk is sorted and every tie falls to the path, then the face index.
    FontError when the tree holds no usable face.
    """
    variant = variant_of(language)
    wanted_families = frozenset(f.lower() for f in families)
    best: tuple[tuple[int, ...], str, int] | None = None
    best_traits: Traits | None = None
    candidates = files = 0
    stopped = False
    for path in _font_files(folder):
        files += 1
        if files > MAX_FONT_FILES:
            stopped = True
            break
        try:
            count = _face_count(path)
        except OSError:
            continue
        for index in range(count):
            file = FontFile(path, index)
            try:
                if not probe(file) & {"glyf", "CFF ", "CFF2"}:
                    continue  # bitmap-only: it cannot be embedded
                traits = read_traits(file)
            except (FontError, OSError):
                continue
            candidates += 1
            key = (_rank(traits, variant, weight, latin, wanted_families), str(path), index)
            if best is None or key < best:
                best, best_traits = key, traits
    if best_traits is None:
        raise FontError(f"no usable font file (.ttf .otf .ttc .otc) in folder {folder}")
    return Choice(
        best_traits.file, folder, best_traits, variant, weight, candidates, latin, stopped
    )


def choose(
    spec: str,
    language: str = "zh-CN",
    weight: int = REGULAR,
    latin: bool = False,
    families: tuple[str, ...] = (),
) -> Choice:
    """A user font spec: ``file.ttf``, ``file.ttc#2``, or a folder (:func:`choose_in_folder`)."""
    file = FontFile.parse(spec)
    if file.path.is_dir():
        return choose_in_folder(file.path, language, weight, latin, families)
    probe(file)
    return Choice(file, wanted=variant_of(language), weight=weight, latin=latin)
