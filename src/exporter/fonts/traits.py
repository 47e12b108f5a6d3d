"""What a face is for: its weight, slant and Chinese variant (SC, TC, JP, KR), read from the font."""

from __future__ import annotations

import re
import struct
from typing import Any

from exporter.fonts.files import FontFile
from exporter.record import record

#: The CJK variants a face can be made for, in the order a tie is broken.
VARIANTS: tuple[str, ...] = ("SC", "TC", "JP", "KR")

#: Characters whose Simplified and Traditional forms are separate code points (们/們 …): a face
#: made for one set often lacks the other (GB 2312 has no 們, Big5 no 们).
CHARACTERISTIC: dict[str, str] = {"SC": "们这国说对时会门", "TC": "們這國說對時會門"}

_LATIN = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

# Words in a font's names or file name that say which variant it is made for ("CJK" and
# camel case are split first: NotoSerifCJKsc, SourceHanSerifTC).
_NAME_WORDS: dict[str, frozenset[str]] = {
    "SC": frozenset({"sc", "cn", "hans", "gb", "prc", "chs", "simplified"}),
    "TC": frozenset({"tc", "tw", "hk", "mo", "hant", "big5", "cht", "traditional"}),
    "JP": frozenset({"jp", "ja", "japanese"}),
    "KR": frozenset({"kr", "ko", "korean"}),
}
_NAME_HAN: dict[str, str] = {"SC": "简", "TC": "繁"}

# The languages of localized name records (harfbuzz's BCP 47 form).
_NAME_LANGUAGES: dict[str, frozenset[str]] = {
    "SC": frozenset({"zh-cn", "zh-sg"}),
    "TC": frozenset({"zh-tw", "zh-hk", "zh-mo"}),
    "JP": frozenset({"ja"}),
    "KR": frozenset({"ko"}),
}

# OS/2 ulCodePageRange1 bits (OpenType spec, OS/2 table): 17 JIS/Japan (932), 18 Chinese
# Simplified (936), 19 Korean Wansung (949), 20 Chinese Traditional (950), 21 Korean Johab.
_CODE_PAGE_BITS: dict[str, tuple[int, ...]] = {
    "SC": (18,),
    "TC": (20,),
    "JP": (17,),
    "KR": (19, 21),
}

# How much each kind of evidence counts: a name says it outright, the localized names and the
# cmap are strong hints, code pages are set generously by pan-CJK fonts.
_NAME_VOTE, _LOCALIZED_VOTE, _CMAP_VOTE, _CODE_PAGE_VOTE = 4, 2, 3, 1


def variant_of(language: str) -> str:
    """The face variant a BCP 47 tag wants: TC for Traditional (zh-Hant, zh-TW, zh-HK, zh-MO),
    JP for ja, KR for ko, else SC (zh, zh-CN, zh-Hans and anything unknown)."""
    parts = language.lower().replace("_", "-").split("-")
    if "hans" in parts:
        return "SC"
    if parts[0] in ("zh", "cmn", "yue") and ({"hant", "tw", "hk", "mo"} & set(parts[1:])):
        return "TC"
    return {"ja": "JP", "ko": "KR"}.get(parts[0], "SC")


def _words(text: str) -> set[str]:
    """The words of a name, whole (GB2312, Big5) and split (NotoSerifCJKsc: noto serif cjk sc)."""
    split = re.sub(r"(?i)cjk", " cjk ", text)
    split = re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=[0-9])", " ", split)
    return {w.lower() for part in (text, split) for w in re.split(r"[^0-9A-Za-z]+", part) if w}


@record
class Traits:
    """The facts about one face that choosing among faces needs."""

    file: FontFile
    weight: int  # OS/2 usWeightClass (400 regular, 700 bold)
    italic: bool
    cjk: int  # CJK Unified Ideographs (U+4E00-9FFF) mapped
    latin: int  # ASCII letters and digits mapped
    covers: dict[str, int]  # characteristic characters of SC and TC mapped
    votes: dict[str, int]  # evidence for each variant
    families: frozenset[str]  # family names (IDs 1 and 16) in every language, lower case

    @property
    def variant(self) -> str:
        """The variant the evidence points to, or ``CJK`` (none or a tie), ``no CJK``."""
        if not self.cjk:
            return "no CJK"
        best = max(self.votes.values())
        winners = [v for v in VARIANTS if self.votes[v] == best]
        return winners[0] if best > 0 and len(winners) == 1 else "CJK"

    def language_score(self, variant: str) -> int:
        """Evidence for ``variant`` less the strongest evidence for another."""
        return self.votes[variant] - max(n for v, n in self.votes.items() if v != variant)


def _table(face: Any, tag: str) -> bytes:
    return bytes(face.reference_table(tag).data)


def read_traits(file: FontFile) -> Traits:
    """Read a face's weight, slant, CJK coverage and variant evidence (harfbuzz, no shaping)."""
    import uharfbuzz as hb

    face = hb.Face(hb.Blob.from_file_path(str(file.path)), file.index)
    unicodes = face.unicodes
    os2 = _table(face, "OS/2")
    head = _table(face, "head")
    mac_style = struct.unpack(">H", head[44:46])[0] if len(head) >= 46 else 0
    weight = struct.unpack(">H", os2[4:6])[0] if len(os2) >= 6 else 0
    if weight < 10:  # absent, or the old 1-9 scale of some fonts
        weight = weight * 100 if weight else (700 if mac_style & 1 else 400)
    fs_selection = struct.unpack(">H", os2[62:64])[0] if len(os2) >= 64 else 0
    italic = bool(fs_selection & 0x201 or mac_style & 2)
    code_pages = struct.unpack(">I", os2[78:82])[0] if len(os2) >= 82 else 0

    votes = dict.fromkeys(VARIANTS, 0)
    names = " ".join(str(face.get_name(i) or "") for i in (1, 4, 6, 16)) + " " + file.path.stem
    words = _words(names)
    languages = {str(entry.language).lower() for entry in face.list_names()}
    for variant in VARIANTS:
        if words & _NAME_WORDS[variant] or _NAME_HAN.get(variant, "\0") in names:
            votes[variant] += _NAME_VOTE
        if languages & _NAME_LANGUAGES[variant]:
            votes[variant] += _LOCALIZED_VOTE
        if any(code_pages >> bit & 1 for bit in _CODE_PAGE_BITS[variant]):
            votes[variant] += _CODE_PAGE_VOTE
    covers = {
        v: sum(1 for ch in chars if ord(ch) in unicodes) for v, chars in CHARACTERISTIC.items()
    }
    # A face mapping one set of characteristic characters and none of the other is made for it.
    for variant, other in (("SC", "TC"), ("TC", "SC")):
        if covers[variant] and not covers[other]:
            votes[variant] += _CMAP_VOTE
    cjk = sum(1 for cp in unicodes if 0x4E00 <= cp <= 0x9FFF)
    latin = sum(1 for ch in _LATIN if ord(ch) in unicodes)
    families = frozenset(
        str(face.get_name(entry.name_id, entry.language) or "").lower()
        for entry in face.list_names()
        if int(entry.name_id) in (1, 16)
    )
    return Traits(file, weight, italic, cjk, latin, covers, votes, families)
