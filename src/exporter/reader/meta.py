"""Metadata: what the text says about itself, front matter and ``-M key=value`` overrides."""

from __future__ import annotations

import re
from dataclasses import replace

from exporter.errors import InputError
from exporter.model import Metadata
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
}


def parse_meta_overrides(pairs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``key=value`` strings (``-M``) -> a dict; InputError on a malformed pair or unknown key."""
    result: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip().lower()
        if not sep or not key:
            raise InputError(f"-M expects KEY=VALUE, got {pair!r}")
        if key not in META_KEYS:
            raise InputError(
                f"unknown metadata key {key!r} (known: {', '.join(sorted(META_KEYS))})"
            )
        result[key] = value.strip()
    return result


def apply_meta(meta: Metadata, values: dict[str, str]) -> Metadata:
    """Metadata with the given ``key -> value`` pairs applied (keys as in META_KEYS)."""
    changes: dict[str, object] = {}
    for key, value in values.items():
        name = META_KEYS[key]
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
