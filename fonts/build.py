"""Rebuild the bundled fonts from the Debian font packages, deterministically.

Usage (from the repository root, with the package installed for ``exporter.fonts``)::

    python fonts/build.py            # build every converted face into fonts/
    python fonts/build.py --check    # build into a temporary folder and compare sha256 with fonts/

Sources (Debian bookworm packages): ``fonts-noto-cjk`` 1:20220127+repack1-1 (Noto Serif/Sans CJK
OTC collections, CFF outlines), ``fonts-lxgw-wenkai`` 1.250+repack-1 (TrueType) and
``fonts-noto-mono`` 20201225-1 (Noto Sans Mono, TrueType, copied unmodified). Each Noto
face is the SC member of its collection, subset to the characters in ``bundle_codepoints()``
(every GBK character plus punctuation, Latin, Greek, Cyrillic, symbols, kana, bopomofo, full- and
half-width forms), converted to TrueType outlines (cu2qu) and written with fixed timestamps, so a
rebuild gives identical bytes. LXGW WenKai is copied unmodified (its OFL reserves the names
"LXGW" and "霞鹜": a modified copy would have to be renamed).

Zhuque Fangsong (朱雀仿宋) 0.211 cannot be rebuilt from a package registry: no registry packages
it. It was built unmodified from its public source (TrionesType/zhuque commit 227319a1, the
repository's own ``fontmake -g ZhuqueFangsong.glyphspackage -o ttf`` with fontmake 3.12.2) and is
shipped as built; its authors ask that modified versions not be spread. ``--check`` and
``--verify`` compare it with the sha256 recorded in ``VERIFIED``.

    python fonts/build.py --verify   # only compare every file's sha256 with the recorded ones
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
import tempfile
import time
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

from exporter.fonts import cff_to_glyf, charset

HERE = Path(__file__).resolve().parent
NOTO = Path("/usr/share/fonts/opentype/noto")
WENKAI = Path("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf")
SC_INDEX = 2  # JP, KR, SC, TC, HK: the order inside the Noto CJK collections

# 2020-01-01T00:00:00Z as seconds since 1904-01-01 (the `head` table epoch).
FIXED_TIMESTAMP = 3660681600

#: output file -> (source collection, face index)
NOTO_FACES: dict[str, tuple[Path, int]] = {
    "NotoSerifCJKsc-Regular.ttf": (NOTO / "NotoSerifCJK-Regular.ttc", SC_INDEX),
    "NotoSerifCJKsc-Bold.ttf": (NOTO / "NotoSerifCJK-Bold.ttc", SC_INDEX),
    "NotoSansCJKsc-Regular.ttf": (NOTO / "NotoSansCJK-Regular.ttc", SC_INDEX),
}
MONO = Path("/usr/share/fonts/truetype/noto/NotoSansMono-Regular.ttf")
COPIED: dict[str, Path] = {"LXGWWenKai-Regular.ttf": WENKAI, "NotoSansMono-Regular.ttf": MONO}

#: Every bundled file's sha256 (fonts/README.md lists the same). The files without a registry
#: source are only verified, never rebuilt.
RECORDED: dict[str, str] = {
    "LXGWWenKai-Regular.ttf": "bbf534b0ca093928f94d1782855e65a19a32cde82b075d495d072025521953c8",
    "NotoSansCJKsc-Regular.ttf": "0cd493866b53c2303bcd41760f6660d4e4d75bae5bda6ec77a1f11500d397c86",
    "NotoSansMono-Regular.ttf": "6b692c4b6d15ccf59f1c1fe8d11cb8a92f51960f3e9f1f523781755a3af7e29f",
    "NotoSerifCJKsc-Bold.ttf": "4bc81df293c87f1cc3ef8c50976df59a8be799daed8f09c52d1e488defe872a0",
    "NotoSerifCJKsc-Regular.ttf": "bb48237bafc2be8562f87744ea454db0b4b835ffe8f513767b6449cb49aba6ad",
    "ZhuqueFangsong-Regular.ttf": "625230c2931d9b8551610d154962d6f7bdf9f1871b97dbc1c73ea1fee13b8323",
}
VERIFIED = ("ZhuqueFangsong-Regular.ttf",)

# Blocks kept besides GBK (the font's own cmap decides what is actually there).
EXTRA_RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x024F),  # Basic Latin .. Latin Extended-B (pinyin tone marks)
    (0x02B0, 0x036F),  # spacing modifiers, combining diacritics
    (0x0370, 0x04FF),  # Greek, Cyrillic
    (0x1E00, 0x1EFF),  # Latin Extended Additional
    (0x2000, 0x2BFF),  # punctuation, currency, letterlike, arrows, maths, enclosed, shapes
    (0x2E80, 0x2FFF),  # CJK radicals, Kangxi radicals, ideographic description
    (0x3000, 0x33FF),  # CJK symbols, kana, bopomofo, strokes, enclosed and compatibility
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs (the whole block; GBK stops at U+9FA5)
    (0xF900, 0xFAFF),  # CJK Compatibility Ideographs
    (0xFE10, 0xFE1F),  # vertical forms
    (0xFE30, 0xFE6F),  # CJK compatibility forms, small forms
    (0xFF00, 0xFFEF),  # half- and full-width forms
)

# OpenType features kept for EPUB readers (vertical forms, proportional CJK punctuation,
# kerning). `locl` is dropped: it would pull the JP/KR/TC glyph variants into an SC subset.
LAYOUT_FEATURES = ["ccmp", "kern", "vkrn", "palt", "vpal", "halt", "vhal", "vert", "vrt2", "liga"]


def bundle_codepoints() -> set[int]:
    """Every code point the converted faces are cut to."""
    cps = set(charset("gbk"))
    for lo, hi in EXTRA_RANGES:
        cps.update(range(lo, hi + 1))
    return cps


def build_noto(source: Path, index: int, dest: Path) -> None:
    """Subset one Noto CJK face, convert it to TrueType outlines, write it with fixed timestamps."""
    tt = TTFont(source, fontNumber=index, recalcTimestamp=False, lazy=False)
    options = subset.Options()
    options.layout_features = LAYOUT_FEATURES
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    options.hinting = False
    options.desubroutinize = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(bundle_codepoints()))
    subsetter.subset(tt)
    cff_to_glyf(tt)
    head = tt["head"]
    head.created = head.modified = FIXED_TIMESTAMP
    name = tt["name"]
    # Say in the version string that this is a subset (the OFL's "Modified Version"; Noto CJK
    # reserves only the name "Source", so the family name stays).
    version = name.getDebugName(5) or ""
    for rec in name.names:
        if rec.nameID == 5:
            rec.string = f"{version}; GBK subset, TrueType outlines (exporter fonts/build.py)"
    tt.save(dest, reorderTables=True)


def build(out_dir: Path) -> dict[str, str]:
    """Build every bundled face into ``out_dir``; returns file name -> sha256."""
    out_dir.mkdir(parents=True, exist_ok=True)
    digests: dict[str, str] = {}
    for file, (source, index) in NOTO_FACES.items():
        start = time.perf_counter()
        build_noto(source, index, out_dir / file)
        print(f"{file}: {time.perf_counter() - start:.1f} s", file=sys.stderr)
    for file, source in COPIED.items():
        shutil.copyfile(source, out_dir / file)
    for file in [*NOTO_FACES, *COPIED]:
        digests[file] = sha256(out_dir / file)
    return digests


def sha256(path: Path) -> str:
    """The file's sha256, or "missing"."""
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "missing"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="rebuild elsewhere and compare")
    parser.add_argument("--verify", action="store_true", help="compare with recorded sha256 only")
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (default: fonts/)")
    args = parser.parse_args()
    start = time.perf_counter()
    if args.verify:
        bad = [f for f, d in RECORDED.items() if sha256(HERE / f) != d]
        for f in sorted(RECORDED):
            print(f"{RECORDED[f]}  {f}{'  DIFFERS' if f in bad else ''}")
        return 1 if bad else 0
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            digests = build(Path(tmp))
        digests.update({f: RECORDED[f] for f in VERIFIED})  # not rebuildable: recorded sum
        bad = [f for f, d in digests.items() if sha256(HERE / f) != d]
        for f in sorted(digests):
            print(f"{digests[f]}  {f}{'  DIFFERS' if f in bad else ''}")
        print(f"built in {time.perf_counter() - start:.0f} s", file=sys.stderr)
        return 1 if bad else 0
    digests = build(args.out)
    for f in sorted(digests):
        print(f"{digests[f]}  {f}")
    print(f"built in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
