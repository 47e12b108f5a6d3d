"""System fonts through fontconfig: scalable faces with their coverage, from one ``fc-list``."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from exporter.fonts.files import FontFile


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class Installed:
    """A face found by one of its family names (in any language of its name table)."""

    file: FontFile
    name: str  # the family name that matched


@lru_cache(maxsize=64)
def installed(names: tuple[str, ...], bold: bool = False) -> Installed | None:
    """The first installed scalable face whose family is one of ``names`` (tried in order; a
    name matches any localized family record, as fontconfig compares them), upright and of the
    weight nearest regular (or bold); None without fontconfig or when none is installed."""
    import shutil
    import subprocess

    exe = shutil.which("fc-list")
    if exe is None:
        return None
    # fontconfig weights: 80 regular, 200 bold; slant 0 upright.
    wanted = 200.0 if bold else 80.0
    for name in names:
        if not name or any(c in name for c in ":,=\\"):
            continue  # not a plain family name: fontconfig's pattern syntax would read it
        try:
            out = subprocess.run(
                [exe, "--format", "%{file}\t%{index}\t%{weight}\t%{slant}\n",
                 f":family={name}:scalable=true"],
                capture_output=True, text=True, timeout=30, check=True,
            ).stdout  # fmt: skip
        except (OSError, subprocess.SubprocessError):
            return None
        found: list[tuple[tuple[float, float, str, int], FontFile]] = []
        for line in out.splitlines():
            parts = line.split("\t")
            if len(parts) != 4 or not parts[1].isdigit():
                continue
            try:
                key = (float(parts[3]), abs(float(parts[2]) - wanted), parts[0], int(parts[1]))
            except ValueError:
                continue
            found.append((key, FontFile(Path(parts[0]), int(parts[1]))))
        if found:
            return Installed(min(found, key=lambda f: f[0])[1], name)
    return None
