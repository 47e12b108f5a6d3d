"""Write options and page profiles (standard, gongwen): every number a writer lays out by."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field, replace
from types import MappingProxyType
from typing import Any

from exporter.record import record

MM = 72 / 25.4  # points per millimetre

#: Font roles a profile maps to a family name (DOCX, CSS) and a bundled face (PDF, EPUB).
ROLES: tuple[str, ...] = (
    "title",
    "subtitle",
    "body",
    "heading1",
    "heading2",
    "heading3",
    "heading4",
    "page_number",
    "latin",
    "code",
)


@record
class RoleSpec:
    """How one role is set: family names (first is the Chinese name Word/WPS know), bundled face key.

    ``installed``: family names of faces the role prefers to its bundled face when one is
    installed (found through fontconfig, tried in order; the user's ``--font`` still comes first).
    """

    families: tuple[str, ...]
    bundled: str
    size_pt: float
    bold: bool = False
    installed: tuple[str, ...] = ()


@record
class Profile:
    """A page profile. Lengths in millimetres, font sizes and line pitch in points.

    ``chars_per_line``/``lines_per_page`` are set when the profile is a strict grid (gongwen):
    the character pitch is then ``text_width / chars_per_line`` and the line pitch
    ``text_height / lines_per_page``.
    """

    name: str
    page_width_mm: float
    page_height_mm: float
    margin_top_mm: float
    margin_left_mm: float
    text_width_mm: float
    text_height_mm: float
    line_pitch_pt: float
    roles: Mapping[str, RoleSpec]
    latin_families: tuple[str, ...]
    page_number_style: str  # "centre" | "gongwen" (— 1 —, odd right / even left)
    page_number_offset_mm: float  # baseline distance below the type area
    chars_per_line: int | None = None
    lines_per_page: int | None = None
    indent_chars: int = 2
    # Fonts a profile asks for that are not bundled: role -> (wanted family, stand-in note).
    substitutions: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    #: The 公文 format (GB/T 9704-2012 §7, §10) the 版头 and 版记 are laid out in: "file"
    #: (文件格式), "letter" (信函格式), "minutes" (纪要格式); "" for a profile without them.
    official_format: str = ""

    def __hash__(self) -> int:  # roles is a mapping: profiles are identified by name
        return hash(self.name)

    def __reduce__(self) -> tuple[Any, tuple[str]]:  # worker processes get profiles by name
        return (get_profile, (self.name,))

    @property
    def margin_bottom_mm(self) -> float:
        return self.page_height_mm - self.margin_top_mm - self.text_height_mm

    @property
    def margin_right_mm(self) -> float:
        return self.page_width_mm - self.margin_left_mm - self.text_width_mm

    @property
    def body_size_pt(self) -> float:
        return self.roles["body"].size_pt

    def role(self, name: str) -> RoleSpec:
        return self.roles[name]


_SONG = ("宋体", "SimSun", "Songti SC", "Noto Serif CJK SC", "Source Han Serif SC")
_HEI = ("黑体", "SimHei", "Heiti SC", "Noto Sans CJK SC", "Source Han Sans SC")
_KAI = ("楷体", "KaiTi", "Kaiti SC", "LXGW WenKai")
_FANGSONG = ("仿宋", "FangSong", "STFangsong", "仿宋_GB2312")
_XBS = ("方正小标宋简体", "FZXiaoBiaoSong-B05S", "宋体", "SimSun")
# The faces clerks have installed, by family name, preferred in gongwen to the bundled ones:
# Windows (simfang.ttf 仿宋 / FangSong, older 仿宋_GB2312, 楷体_GB2312), macOS (STFangsong,
# STKaiti, STHeiti), 方正 faces on Windows and Linux (UOS, Kylin).
_FANGSONG_INSTALLED = ("仿宋_GB2312", "仿宋", "FangSong", "FangSong_GB2312", "STFangsong",
                       "华文仿宋", "方正仿宋_GBK", "方正仿宋简体", "FZFangSong-Z02S")  # fmt: skip
_XBS_INSTALLED = ("方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "FZXiaoBiaoSong-B05")
_HEI_INSTALLED = ("黑体", "SimHei", "方正黑体_GBK", "方正黑体简体", "STHeiti", "华文黑体")
#: Code (inline and blocks): a monospaced Latin face; Han text in code takes the body face.
_MONO = ("Noto Sans Mono", "Consolas", "Courier New")
_KAI_INSTALLED = ("楷体_GB2312", "楷体", "KaiTi", "KaiTi_GB2312", "方正楷体_GBK", "方正楷体简体",
                  "STKaiti", "华文楷体")  # fmt: skip

# standard: A4, body 12 pt Song on a 38-character measure (456 pt), line pitch 21 pt (1.75),
# 31 lines a page; title 18 pt bold Song; headings 14/13/12/12 pt; page numbers centred 10.5 pt.
STANDARD = Profile(
    name="standard",
    page_width_mm=210.0,
    page_height_mm=297.0,
    margin_top_mm=30.0,
    margin_left_mm=(210.0 - 456 / MM) / 2,
    text_width_mm=456 / MM,
    text_height_mm=651 / MM,
    line_pitch_pt=21.0,
    roles=MappingProxyType(
        {
            "title": RoleSpec(_SONG, "song-bold", 18.0, bold=True),
            "subtitle": RoleSpec(_KAI, "kai", 14.0),
            "body": RoleSpec(_SONG, "song", 12.0),
            "heading1": RoleSpec(_HEI, "hei", 14.0),
            "heading2": RoleSpec(_KAI, "kai", 13.0),
            "heading3": RoleSpec(_SONG, "song-bold", 12.0, bold=True),
            "heading4": RoleSpec(_SONG, "song", 12.0),
            "page_number": RoleSpec(_SONG, "song", 10.5),
            "latin": RoleSpec(("Times New Roman",), "song", 12.0),
            "code": RoleSpec(_MONO, "mono", 12.0),
        }
    ),
    latin_families=("Times New Roman", "Noto Serif", "serif"),
    page_number_style="centre",
    page_number_offset_mm=12.0,
)

# gongwen: GB/T 9704-2012 §5.2, §7: A4, top 37 mm, left 28 mm, type area 156 x 225 mm,
# 22 lines x 28 characters of 3号 (16 pt) 仿宋; title 2号 (22 pt) 小标宋; headings 16 pt
# (一、 黑体, （一） 楷体, 1. and （1） 仿宋); page numbers 4号 (14 pt) — 1 —, 7 mm below the type area.
GONGWEN = Profile(
    name="gongwen",
    page_width_mm=210.0,
    page_height_mm=297.0,
    margin_top_mm=37.0,
    margin_left_mm=28.0,
    text_width_mm=156.0,
    text_height_mm=225.0,
    line_pitch_pt=225.0 * MM / 22,
    roles=MappingProxyType(
        {
            "title": RoleSpec(_XBS, "song-bold", 22.0, installed=_XBS_INSTALLED),
            "subtitle": RoleSpec(_KAI, "kai", 16.0, installed=_KAI_INSTALLED),
            "body": RoleSpec(_FANGSONG, "fangsong", 16.0, installed=_FANGSONG_INSTALLED),
            "heading1": RoleSpec(_HEI, "hei", 16.0, installed=_HEI_INSTALLED),
            "heading2": RoleSpec(_KAI, "kai", 16.0, installed=_KAI_INSTALLED),
            "heading3": RoleSpec(_FANGSONG, "fangsong", 16.0, installed=_FANGSONG_INSTALLED),
            "heading4": RoleSpec(_FANGSONG, "fangsong", 16.0, installed=_FANGSONG_INSTALLED),
            "page_number": RoleSpec(_SONG, "song", 14.0),
            "latin": RoleSpec(("Times New Roman",), "song", 16.0),
            "code": RoleSpec(_MONO, "mono", 16.0),
        }
    ),
    latin_families=("Times New Roman", "Noto Serif", "serif"),
    page_number_style="gongwen",
    page_number_offset_mm=7.0,
    chars_per_line=28,
    lines_per_page=22,
    official_format="file",
    substitutions=MappingProxyType(
        {
            "title": "方正小标宋简体: commercial; the bundled Noto Serif CJK SC Bold stands in.",
        }
    ),
)

# GB/T 9704-2012 §10.1 信函格式, §10.2 命令（令）格式 and §10.3 纪要格式: the gongwen page,
# another 版头 and 版记.
GONGWEN_LETTER = replace(GONGWEN, name="gongwen-letter", official_format="letter")
GONGWEN_ORDER = replace(GONGWEN, name="gongwen-order", official_format="order")
GONGWEN_MINUTES = replace(GONGWEN, name="gongwen-minutes", official_format="minutes")

PROFILES: Mapping[str, Profile] = MappingProxyType(
    {
        "standard": STANDARD,
        "gongwen": GONGWEN,
        "gongwen-letter": GONGWEN_LETTER,
        "gongwen-order": GONGWEN_ORDER,
        "gongwen-minutes": GONGWEN_MINUTES,
    }
)


@record
class WriteOptions:
    """Everything a writer needs besides the document; built once (CLI, config or API) and passed down.

    ``fonts`` maps a role (or ``fallback``) to a user font spec (``/path/font.ttf``,
    ``file.ttc#2`` or a folder); ``source_date_epoch`` pins every date written into a file.
    """

    profile: Profile = STANDARD
    fonts: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    fallback_fonts: tuple[str, ...] = ()
    system_fonts: bool = True
    embed_fonts: bool = True
    strict: bool = False
    source_date_epoch: int | None = None
    #: A book's chapters open new pages in PDF (profiles off the grid); ``toc``: a contents page.
    chapter_pages: bool = True
    toc: bool = False
    pdfa: str | None = None  # "2b" or "3b": PDF/A output (ISO 19005-2/-3)
    #: A DOCX whose styles, page setup, headers, footers and theme the DOCX writer keeps.
    reference_docx: str | None = None

    def __hash__(self) -> int:  # fonts is a mapping: hash the stable text form instead
        return hash(self.fingerprint())

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:  # mapping proxies do not pickle
        return (
            _write_options,
            (
                self.profile,
                dict(self.fonts),
                self.fallback_fonts,
                self.system_fonts,
                self.embed_fonts,
                self.strict,
                self.source_date_epoch,
                self.chapter_pages,
                self.toc,
                self.pdfa,
                self.reference_docx,
            ),
        )

    def fingerprint(self) -> str:
        """A stable text form of the options, for incremental-build hashes."""
        parts = [
            f"profile={self.profile.name}",
            "fonts=" + ",".join(f"{k}={v}" for k, v in sorted(self.fonts.items())),
            "fallback=" + ",".join(self.fallback_fonts),
            f"system={self.system_fonts}",
            f"embed={self.embed_fonts}",
            f"strict={self.strict}",
            f"sde={self.source_date_epoch}",
        ]
        # Only when not the default, so that earlier fingerprints (and builds) stay valid.
        if not self.chapter_pages:
            parts.append("chapter_pages=False")
        if self.toc:
            parts.append("toc=True")
        if self.pdfa:  # absent when off, so earlier manifests' keys stay valid
            parts.append(f"pdfa={self.pdfa}")
        if self.reference_docx:  # the file's size and time, so that a restyled one rebuilds
            parts.append(f"reference_docx={_file_stamp(self.reference_docx)}")
        return ";".join(parts)


def _write_options(
    profile: Profile,
    fonts: dict[str, str],
    fallback_fonts: tuple[str, ...],
    system_fonts: bool,
    embed_fonts: bool,
    strict: bool,
    source_date_epoch: int | None,
    chapter_pages: bool = True,
    toc: bool = False,
    pdfa: str | None = None,
    reference_docx: str | None = None,
) -> WriteOptions:
    return WriteOptions(
        profile,
        MappingProxyType(fonts),
        fallback_fonts,
        system_fonts,
        embed_fonts,
        strict,
        source_date_epoch,
        chapter_pages,
        toc,
        pdfa,
        reference_docx,
    )


def _file_stamp(path: str) -> str:
    """A path with its size and modification time (or "missing")."""
    import os

    try:
        st = os.stat(path)
    except OSError:
        return f"{path}@missing"
    return f"{path}@{st.st_size}:{st.st_mtime_ns}"


def get_profile(name: str) -> Profile:
    """The profile of that name; raises KeyError with the known names."""
    try:
        return PROFILES[name]
    except KeyError:
        raise KeyError(f"unknown profile {name!r} (known: {', '.join(PROFILES)})") from None
