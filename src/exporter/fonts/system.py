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
