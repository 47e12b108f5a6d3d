"""The one timestamp written into outputs: SOURCE_DATE_EPOCH, else the document date, else a fixed epoch."""

from __future__ import annotations

import os
from datetime import UTC, datetime

from exporter.model import Document

#: Used when neither SOURCE_DATE_EPOCH nor a document date is known, so output stays reproducible.
FALLBACK = datetime(2000, 1, 1, tzinfo=UTC)


def source_date_epoch(explicit: int | None = None) -> int | None:
    """The SOURCE_DATE_EPOCH in force: the explicit value, else the environment's, else None."""
    if explicit is not None:
        return explicit
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if raw.isdigit():
        return int(raw)
    return None


def output_datetime(doc: Document, explicit_epoch: int | None = None) -> datetime:
    """The timestamp for an output's metadata (UTC): SOURCE_DATE_EPOCH wins over the document date."""
    epoch = source_date_epoch(explicit_epoch)
    if epoch is not None:
        return datetime.fromtimestamp(epoch, tz=UTC)
    if doc.meta.date:
        try:
            parsed = datetime.fromisoformat(doc.meta.date)
        except ValueError:
            return FALLBACK
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return FALLBACK
