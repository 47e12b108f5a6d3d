"""The 公文 fields' front-matter and ``-M`` keys (English and Chinese), checked and applied."""

from __future__ import annotations

import re
from collections.abc import Mapping

from exporter.model.official import Official, with_official

#: Key (lower case) -> Official field. GB/T 9704-2012's own names beside the English ones.
OFFICIAL_KEYS = {
    "issuer": "issuers",
    "issuers": "issuers",
    "发文机关": "issuers",
    "发文机关标志": "issuers",
    "signer": "signers",
    "signers": "signers",
    "签发人": "signers",
    "copy": "copy",
    "份号": "copy",
    "classification": "classification",
    "密级": "classification",
    "secrecy_period": "secrecy_period",
    "保密期限": "secrecy_period",
    "urgency": "urgency",
    "紧急程度": "urgency",
    "cc": "cc",
    "抄送": "cc",
    "抄送机关": "cc",
    "printed_by": "printed_by",
    "印发机关": "printed_by",
    "printed_date": "printed_date",
    "印发日期": "printed_date",
    "note": "note",
    "附注": "note",
    "has_seal": "has_seal",
    "盖章": "has_seal",
}

#: Several issuers or signers in one value: separated by ; ； 、 (a front-matter list is
#: joined with 、).
_MANY = re.compile(r"[;；、]")
_TRUE = {"true", "yes", "1", "on", "是", "有"}
_FALSE = {"false", "no", "0", "off", "否", "无", ""}
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
_CN_DATE = re.compile(
    r"[\d〇零一二三四五六七八九]{4}年[\d〇一二三四五六七八九十]{1,3}月[\d〇一二三四五六七八九十]{1,3}日"
)
CLASSIFICATIONS = ("绝密", "机密", "秘密")


def official_problem(name: str, value: str) -> str:
    """Why ``value`` cannot be the 公文 field ``name`` ("" when it can)."""
    value = value.strip()
    if name == "copy" and value and not (value.isascii() and value.isdigit() and len(value) <= 6):
        return f"{value!r} is not a 份号: up to six digits (GB/T 9704-2012 §7.2.1)"
    if name == "has_seal" and value.lower() not in _TRUE | _FALSE:
        return f"{value!r} is not true or false"
    if (
        name == "printed_date"
        and value
        and not (_ISO.fullmatch(value) or _CN_DATE.fullmatch(value))
    ):
        return f"{value!r} is not a date: use YYYY-MM-DD or 2024年1月5日"
    return ""


def apply_official(official: Official, values: Mapping[str, str]) -> Official:
    """``official`` with the given key -> value pairs applied (keys as in OFFICIAL_KEYS)."""
    changes: dict[str, object] = {}
    for key, raw in values.items():
        name = OFFICIAL_KEYS[key]
        value = raw.strip()
        if name in ("issuers", "signers"):
            changes[name] = tuple(p.strip() for p in _MANY.split(value) if p.strip())
        elif name == "has_seal":
            changes[name] = value.lower() in _TRUE
        elif name == "copy":
            changes[name] = value.zfill(6) if value else ""  # six digits (§7.2.1)
        elif name == "classification" and "★" in value:  # 机密★1年 given in one value
            level, _, period = value.partition("★")
            changes[name] = level.strip()
            changes.setdefault("secrecy_period", period.strip())
        elif name == "printed_date":
            changes[name] = chinese_date(value)
        elif name == "cc" and value and value[-1] not in "。.":
            changes[name] = value + "。"  # the 抄送 list ends with a full stop (§7.4.2)
        else:
            changes[name] = value
    return with_official(official, **changes)


def chinese_date(value: str) -> str:
    """``2024-01-05`` as ``2024年1月5日`` (no zero padding, GB/T 9704-2012 §7.3.5); any other
    form as given."""
    m = _ISO.fullmatch(value)
    if m is None:
        return value
    year, month, day = (int(g) for g in m.groups())
    return f"{year}年{month}月{day}日"
