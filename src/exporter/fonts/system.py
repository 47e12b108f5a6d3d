"""System fonts: fontconfig's scalable faces with their coverage, and faces found by name."""

from __future__ import annotations

import bisect
from functools import lru_cache
from pathlib import Path

from exporter.fonts.files import FontFile
from exporter.record import record


@record
class SystemFace:
    """A system face and the code points fontconfig says it covers (sorted ranges)."""

    file: FontFile
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    rank: tuple[float, float, float]

    def has(self, cp: int) -> bool:
        i = bisect.bisect_right(self.starts, cp) - 1
        return i >= 0 and cp <= self.ends[i]


@lru_cache(maxsize=1)
def system_faces() -> tuple[SystemFace, ...]:
    """Scalable system faces, upright regular ones first (empty without fontconfig)."""
    import shutil
    import subprocess

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
            SystemFace(FontFile(Path(parts[0]), int(parts[1])), tuple(starts), tuple(ends), rank)
        )
    faces.sort(key=lambda f: (f.rank, str(f.file.path), f.file.index))
    return tuple(faces)


@record
class Installed:
    """A face found by one of its family names (in any language of its name table)."""

    file: FontFile
    name: str  # the family name that matched
    via: str = "fontconfig"


def _family_key(name: str) -> str:
    """A family name as fontconfig compares them: case and blanks ignored."""
    return "".join(name.split()).lower()


@lru_cache(maxsize=1)
def _fontconfig_index() -> tuple[tuple[FontFile, frozenset[str], float, float], ...] | None:
    """Every scalable face fontconfig knows with its family names (all languages), weight and
    slant, from one ``fc-list``; None without fontconfig."""
    import shutil
    import subprocess

    exe = shutil.which("fc-list")
    if exe is None:
        return None
    try:
        out = subprocess.run(
            [exe, "--format", "%{file}\t%{index}\t%{weight}\t%{slant}\t%{family}\n",
             ":scalable=true"],
            capture_output=True, text=True, timeout=30, check=True,
        ).stdout  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return ()
    faces = []
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) != 5 or not parts[1].isdigit():
            continue
        try:
            weight, slant = float(parts[2]), float(parts[3])
        except ValueError:
            continue
        families = frozenset(_family_key(f) for f in parts[4].split(",") if f.strip())
        faces.append((FontFile(Path(parts[0]), int(parts[1])), families, weight, slant))
    return tuple(faces)


@lru_cache(maxsize=64)
def installed(names: tuple[str, ...], bold: bool = False) -> Installed | None:
    """The first installed scalable face whose family is one of ``names`` (tried in order; a
    name matches any localized family record, case and blanks ignored, as fontconfig compares
    them), upright and of the weight nearest regular (or bold); None when none is installed.
    Without fontconfig the OS's font folders are searched (:func:`standard_folders`)."""
    index = _fontconfig_index()
    if index is None:
        return _in_standard_folders(names, bold)
    # fontconfig weights: 80 regular, 200 bold; slant 0 upright.
    wanted = 200.0 if bold else 80.0
    for name in names:
        key = _family_key(name)
        found = [f for f in index if key in f[1]]
        if found:
            best = min(found, key=lambda f: (f[3], abs(f[2] - wanted), str(f[0].path), f[0].index))
            return Installed(best[0], name)
    return None


def standard_folders() -> tuple[Path, ...]:
    """The font folders of this OS, for a machine without fontconfig (Windows, most Macs)."""
    import os
    import sys

    home = Path.home()
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        local = Path(os.environ.get("LOCALAPPDATA", home / "AppData" / "Local"))
        return (windir / "Fonts", local / "Microsoft" / "Windows" / "Fonts")
    if sys.platform == "darwin":
        return (Path("/System/Library/Fonts"), Path("/Library/Fonts"), home / "Library" / "Fonts")
    return (
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        home / ".local" / "share" / "fonts",
        home / ".fonts",
    )


@record
class _Named:
    file: FontFile
    families: frozenset[str]  # every family name (IDs 1 and 16), every language, as keys
    weight: int
    italic: bool


@lru_cache(maxsize=1)
def _folder_index() -> tuple[_Named, ...]:
    """Every face in the standard folders with its family names (bounded as a folder search)."""
    import struct

    import uharfbuzz as hb

    from exporter.fonts.choice import MAX_FONT_FILES, _face_count, _font_files

    faces: list[_Named] = []
    files = 0
    for root in standard_folders():
        for path in _font_files(root):
            files += 1
            if files > MAX_FONT_FILES:
                return tuple(faces)
            try:
                count = _face_count(path)
                blob = hb.Blob.from_file_path(str(path))
                for index in range(count):
                    face = hb.Face(blob, index)
                    families = frozenset(
                        _family_key(str(face.get_name(e.name_id, e.language) or ""))
                        for e in face.list_names()
                        if e.name_id in (1, 16)
                    )
                    os2 = bytes(face.reference_table("OS/2").data)
                    weight = struct.unpack(">H", os2[4:6])[0] if len(os2) >= 6 else 400
                    italic = len(os2) >= 64 and bool(struct.unpack(">H", os2[62:64])[0] & 0x201)
                    faces.append(_Named(FontFile(path, index), families, weight, italic))
            except (OSError, ValueError, RuntimeError):
                continue  # not a readable font
    return tuple(faces)


def _in_standard_folders(names: tuple[str, ...], bold: bool) -> Installed | None:
    """:func:`installed` without fontconfig: the same names looked up in the name tables of the
    faces in :func:`standard_folders`."""
    wanted = 700 if bold else 400
    index = _folder_index()
    for name in names:
        key = _family_key(name)
        found = [f for f in index if key in f.families]
        if found:
            best = min(
                found,
                key=lambda f: (f.italic, abs(f.weight - wanted), str(f.file.path), f.file.index),
            )
            return Installed(best.file, name, "the system font folders")
    return None
