"""Reader: bytes or text -> Document (decoding, normalisation, front matter, structure, metadata)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from exporter import diagnostics
from exporter.errors import InputError
from exporter.model import Document, Metadata
from exporter.reader.decoding import decode
from exporter.reader.normalize import is_blank, normalise
from exporter.reader.structure import parse_lines

#: Inputs larger than this are refused unless ``max_bytes`` is raised (``--max-size``).
DEFAULT_MAX_BYTES = 32 * 1024 * 1024

#: Front-matter keys (lower case) -> Metadata field.
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


@dataclass(frozen=True, slots=True)
class ReadResult:
    """A document and what the reader deliberately left out of it (for reports and checks).

    ``dropped`` holds markup taken out (front matter lines, setext underlines, # marks);
    ``removed`` the control characters (and ANSI sequences) removed.
    """

    document: Document
    dropped: tuple[str, ...] = ()
    source_text: str = ""
    removed_controls: int = 0
    removed: tuple[str, ...] = ()


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


def _front_matter(lines: list[str]) -> tuple[dict[str, str], list[str], list[str]]:
    """A ``---`` block of ``key: value`` lines at the very top -> (values, remaining, dropped)."""
    if not lines or lines[0].strip() != "---":
        return {}, lines, []
    for end in range(1, min(len(lines), 60)):
        if lines[end].strip() in ("---", "..."):
            values: dict[str, str] = {}
            for line in lines[1:end]:
                if not line.strip():
                    continue
                key, sep, value = line.partition(":")
                if not sep or key.strip().lower() not in META_KEYS:
                    return {}, lines, []  # not front matter after all: keep it as text
                values[key.strip().lower()] = value.strip().strip("\"'")
            return values, lines[end + 1 :], lines[: end + 1]
    return {}, lines, []


def read_text(
    text: str,
    *,
    name: str = "<text>",
    meta: dict[str, str] | None = None,
    encoding: str = "",
) -> ReadResult:
    """Parse decoded text into a Document. ``meta`` (``-M`` values) wins over the text's own."""
    norm = normalise(text)
    if norm.removed_controls:
        diagnostics.warn(
            "control-chars",
            f"{name}: removed {norm.removed_controls} control character(s)",
            count=norm.removed_controls,
        )
    front, lines, front_lines = _front_matter(norm.lines)
    if all(is_blank(line) for line in lines):
        raise InputError(f"{name}: no text (the file is empty or holds only whitespace)")
    parsed = parse_lines(lines)
    if parsed.dropped:
        diagnostics.warn(
            "markup-dropped",
            f"{name}: dropped {len(parsed.dropped)} markup line(s)/mark(s) (setext underlines, # and > marks, code fences)",
            count=len(parsed.dropped),
        )
    md = Metadata(
        title=parsed.title or (Path(name).stem if name != "<text>" else ""),
        subtitle=parsed.subtitle,
        authors=tuple(parsed.authors),
        date=parsed.date,
        source=parsed.source,
        place=parsed.place,
        document_number=parsed.document_number,
        language=parsed.language,
        encoding=encoding,
    )
    md = apply_meta(md, front)
    if meta:
        md = apply_meta(md, meta)
    doc = Document(md, tuple(parsed.blocks))
    dropped = tuple(front_lines) + tuple(parsed.dropped)
    return ReadResult(doc, dropped, text, norm.removed_controls, tuple(norm.removed_text))


def read_bytes(
    data: bytes,
    *,
    name: str = "<bytes>",
    encoding: str | None = None,
    errors: str = "strict",
    meta: dict[str, str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ReadResult:
    """Decode and parse a file's bytes."""
    if max_bytes and len(data) > max_bytes:
        raise InputError(
            f"{name}: {len(data):,} bytes is over the {max_bytes:,}-byte limit "
            "(raise it with --max-size)"
        )
    if not data:
        raise InputError(f"{name}: no text (the file is empty)")
    decoded = decode(data, name, encoding, errors)
    return read_text(decoded.text, name=name, meta=meta, encoding=decoded.encoding)


def read_file(
    path: str | Path,
    *,
    encoding: str | None = None,
    errors: str = "strict",
    meta: dict[str, str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Document:
    """Read a text file into a Document (see read_path for what was dropped)."""
    return read_path(
        path, encoding=encoding, errors=errors, meta=meta, max_bytes=max_bytes
    ).document


def load_bytes(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """A file's bytes; InputError when it is missing, a folder, unreadable or over ``max_bytes``."""
    try:
        size = path.stat().st_size
        if max_bytes and size > max_bytes:
            raise InputError(
                f"{path}: {size:,} bytes is over the {max_bytes:,}-byte limit "
                "(raise it with --max-size)"
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None


def read_path(
    path: str | Path,
    *,
    encoding: str | None = None,
    errors: str = "strict",
    meta: dict[str, str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ReadResult:
    """Read a text file; InputError when it is missing, unreadable, too large or undecodable."""
    p = Path(path)
    data = load_bytes(p, max_bytes)
    return read_bytes(data, name=str(p), encoding=encoding, errors=errors, meta=meta, max_bytes=0)


__all__ = [
    "DEFAULT_MAX_BYTES",
    "ReadResult",
    "apply_meta",
    "load_bytes",
    "parse_meta_overrides",
    "read_bytes",
    "read_file",
    "read_path",
    "read_text",
]
