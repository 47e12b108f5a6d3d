"""Metadata: what the text says about itself, front matter and ``-M key=value`` overrides."""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import replace

from exporter.errors import InputError
from exporter.model import Metadata
from exporter.reader.official_meta import OFFICIAL_KEYS, apply_official, official_problem
from exporter.reader.structure import Parsed

#: Front-matter and ``-M`` keys (lower case) -> Metadata field.
META_KEYS = {
    "title": "title",
    "subtitle": "subtitle",
    "author": "authors",
    "authors": "authors",
    "date": "date",
    "source": "source",
    "agency": "source",
    "place": "place",
    "number": "document_number",
    "document_number": "document_number",
    "language": "language",
    "lang": "language",
    "identifier": "identifier",
    "id": "identifier",
    "publisher": "publisher",
    "subject": "subject",
    "encoding": "encoding",
    "发文字号": "document_number",
    # The 公文 fields (GB/T 9704-2012 §7.2, §7.3.7, §7.4), in English and in Chinese.
    **OFFICIAL_KEYS,
}


_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)


def parse_meta_overrides(pairs: list[str] | tuple[str, ...], flag: str = "-M") -> dict[str, str]:
    """``key=value`` strings (``-M``) -> a dict; InputError, naming ``flag`` and the key, on a
    malformed pair, an unknown key or a bad value (see meta_problem)."""
    result: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip().lower()
        if not sep or not key:
            raise InputError(f"{flag} expects KEY=VALUE, got {pair!r}")
        result[key] = value.strip()
    check_meta(result, flag)
    return result


def check_meta(values: Mapping[str, str], flag: str) -> None:
    """InputError, naming ``flag`` and the key, for an unknown key or a bad value."""
    for key, value in values.items():
        if key not in META_KEYS:
            raise InputError(
                f"{flag}: unknown metadata key {key!r} (known: {', '.join(sorted(META_KEYS))})"
            )
        problem = meta_problem(key, value)
        if problem:
            raise InputError(f"{flag} {key}: {problem}")


def meta_problem(key: str, value: str) -> str:
    """Why ``value`` cannot be the metadata ``key`` ("" when it can).

    No control characters (a title is one line of text); a date is ISO 8601 as EPUB 3.3
    (dc:date) and OOXML core properties (W3CDTF) take it: YYYY, YYYY-MM or YYYY-MM-DD, and a
    real calendar date.
    """
    bad = next((ch for ch in value if unicodedata.category(ch) == "Cc"), None)
    if bad is not None:
        return f"control character U+{ord(bad):04X} in the value"
    if META_KEYS.get(key) == "date" and value and not _iso_date(value):
        return f"{value!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD"
    if key in OFFICIAL_KEYS:
        return official_problem(OFFICIAL_KEYS[key], value)
    return ""


def _iso_date(value: str) -> bool:
    match = _ISO_DATE.fullmatch(value)
    if match is None:
        return False
    year, month, day = (int(g) if g else 1 for g in match.groups())
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def apply_meta(meta: Metadata, values: dict[str, str]) -> Metadata:
    """Metadata with the given ``key -> value`` pairs applied (keys as in META_KEYS)."""
    changes: dict[str, object] = {}
    official = {k: v for k, v in values.items() if k in OFFICIAL_KEYS}
    if official:
        changes["official"] = apply_official(meta.official, official)
    for key, value in values.items():
        name = META_KEYS[key]
        if key in OFFICIAL_KEYS:
            continue
        if name == "authors":
            changes[name] = tuple(a.strip() for a in re.split(r"[;；,，、]", value) if a.strip())
        else:
            changes[name] = value
    return replace(meta, **changes)  # type: ignore[arg-type]


def text_metadata(parsed: Parsed, *, fallback_title: str, encoding: str) -> Metadata:
    """The metadata the text's own head gave (title, bylines, dateline), before any override."""
    found = parsed.found
    return Metadata(
        title=found.title or fallback_title,
        subtitle=found.subtitle,
        authors=tuple(found.authors),
        date=found.date,
        source=found.source,
        place=found.place,
        document_number=found.document_number,
        language=found.language,
        encoding=encoding,
    )
