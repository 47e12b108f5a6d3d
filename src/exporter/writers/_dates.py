"""Dates written into outputs: the document's own date, SOURCE_DATE_EPOCH, or none at all.

An undated document gets no document date in any format (no PDF /CreationDate, DOCX
dcterms:created, EPUB dc:date): an archivist would read an invented one as the document's.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime

from exporter.model import Document

#: The stand-in where a format requires a timestamp (EPUB dcterms:modified, zip entry times) and
#: neither SOURCE_DATE_EPOCH nor the document's date is known: the earliest time a zip entry can
#: hold (1980-01-01 00:00:00 UTC), so output stays reproducible. It is a placeholder for "not
#: known", never written as the document's date.
PLACEHOLDER = datetime(1980, 1, 1, tzinfo=UTC)

#: A date that names a day (ISO 8601 calendar date), maybe with a time: a year or a month alone
#: would need a day invented to make a timestamp.
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}(?:$|[T ])")


def source_date_epoch(explicit: int | None = None) -> int | None:
    """The SOURCE_DATE_EPOCH in force: the explicit value, else the environment's, else None."""
    if explicit is not None:
        return explicit
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if raw.isdigit():
        return int(raw)
    return None


def document_datetime(doc: Document) -> datetime | None:
    """The document's own date in UTC (a date without a zone is taken as UTC), when it names a day."""
    text = doc.meta.date.strip()
    if not _DAY.match(text):
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def output_datetime(doc: Document, explicit_epoch: int | None = None) -> datetime | None:
    """The timestamp for an output's date fields: SOURCE_DATE_EPOCH, else the document's date,
    else None (undated: write no date where the format allows it)."""
    epoch = source_date_epoch(explicit_epoch)
    if epoch is not None:
        return datetime.fromtimestamp(epoch, tz=UTC)
    return document_datetime(doc)
