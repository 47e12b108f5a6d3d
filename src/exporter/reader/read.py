"""Reading: a path, bytes or text -> a Document, with what was left out on purpose."""

from __future__ import annotations

import os
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from exporter import diagnostics
from exporter.errors import InputError
from exporter.model import Boilerplate, Document, Rule, block_texts
from exporter.reader.decoding import decode
from exporter.reader.frontmatter import front_matter
from exporter.reader.meta import apply_meta, check_meta, meta_problem, text_metadata
from exporter.reader.normalize import is_blank, normalise
from exporter.reader.official_text import take_official_lines
from exporter.reader.structure import parse_lines
from exporter.record import record

#: Inputs larger than this are refused unless ``max_bytes`` is raised (``--max-size``).
DEFAULT_MAX_BYTES = 32 * 1024 * 1024
#: Bytes per read of an input whose size is not known in advance (a pipe, standard input).
_CHUNK = 1 << 20
#: What ``input_format`` may say: Markdown, or plain text (None: by the name's ending).
INPUT_FORMATS = ("markdown", "text")
#: File name endings read as Markdown when no input format is given.
MARKDOWN_SUFFIXES = (".md", ".markdown")


@record
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
    front, lines, front_lines = front_matter(norm.lines)
    found, lines = take_official_lines(lines)
    if all(is_blank(line) for line in lines):
        raise InputError(f"{name}: no text (the file is empty or holds only whitespace)")
    parsed = parse_lines(lines)
    if parsed.dropped:
        diagnostics.warn(
            "markup-dropped",
            f"{name}: dropped {len(parsed.dropped)} markup line(s)/mark(s) (setext underlines, # and > marks, code fences)",
            count=len(parsed.dropped),
        )
    rules = sum(isinstance(block, Rule) for block in parsed.blocks)
    if rules:  # markup too, but kept (a thematic break): reported as underlines are
        diagnostics.warn(
            "separator-rules",
            f"{name}: kept {rules} separator line(s) as rules (thematic breaks)",
            count=rules,
        )
    furniture = sum(len(b.lines) for b in parsed.blocks if isinstance(b, Boilerplate))
    if furniture:  # kept, but a clerk should know it was set apart from the text
        diagnostics.warn(
            "boilerplate",
            f"{name}: set {furniture} line(s) of web-page furniture (打印, 关闭, 责任编辑：…) "
            "apart as boilerplate",
            count=furniture,
        )
    if not any(text.strip() for block in parsed.blocks for text in block_texts(block)):
        raise InputError(f"{name}: no text (only markup: {len(parsed.dropped)} line(s) dropped)")
    md = text_metadata(parsed, fallback_title=title_from_name(name), encoding=encoding)
    md = replace(md, official=found)
    md = apply_meta(md, usable_front_matter(front, name))
    if meta:
        check_meta(meta, "meta")
        md = apply_meta(md, meta)
    doc = Document(md, tuple(parsed.blocks))
    dropped = tuple(front_lines) + tuple(parsed.dropped)
    return ReadResult(doc, dropped, text, norm.removed_controls, tuple(norm.removed_text))


def title_from_name(name: str) -> str:
    """A file's stem as the title of last resort: never for stdin or a placeholder name, never
    with control characters, and with a non-UTF-8 byte (a lone surrogate) shown as U+FFFD."""
    if not name or name == "-" or name.startswith("<"):
        return ""
    stem = Path(name).stem
    return "".join(
        "\ufffd" if "\ud800" <= ch <= "\udfff" else ch
        for ch in stem
        if unicodedata.category(ch) != "Cc"
    ).strip()


def usable_front_matter(values: dict[str, str], name: str) -> dict[str, str]:
    """The front matter's values less those that cannot be metadata (a date that is not ISO
    8601), each left out with a warning: the text is the author's, not a usage error."""
    usable = {}
    for key, value in values.items():
        problem = meta_problem(key, value)
        if problem:
            diagnostics.warn(
                "meta-ignored", f"{name}: front matter {key}: {problem}; ignored", key=key
            )
        else:
            usable[key] = value
    return usable


def input_format_of(name: str, input_format: str | None = None) -> str:
    """How the input ``name`` is read: as ``input_format`` when given, else Markdown for a
    .md or .markdown name and plain text for any other. InputError for an unknown format."""
    if input_format is None:
        is_md = name.lower().endswith(MARKDOWN_SUFFIXES) and not name.startswith("<")
        return "markdown" if is_md else "text"
    if input_format not in INPUT_FORMATS:
        raise InputError(
            f"unknown input format {input_format!r} (known: {', '.join(INPUT_FORMATS)})"
        )
    return input_format


def source_folder(name: str) -> Path | None:
    """The folder an input named ``name`` lies in (its images are looked up there); None for
    standard input and placeholder names (<text>, <bytes>)."""
    if not name or name == "-" or name.startswith("<"):
        return None
    return Path(name).parent


def read_decoded(
    text: str,
    *,
    name: str,
    input_format: str | None = None,
    meta: dict[str, str] | None = None,
    encoding: str = "",
) -> ReadResult:
    """Decoded text as Markdown or plain text (see input_format_of)."""
    if input_format_of(name, input_format) == "markdown":
        from exporter.reader.markdown import read_markdown  # markdown-it only when needed

        return read_markdown(
            text, name=name, base_dir=source_folder(name), meta=meta, encoding=encoding
        )
    return read_text(text, name=name, meta=meta, encoding=encoding)


def read_bytes(
    data: bytes,
    *,
    name: str = "<bytes>",
    encoding: str | None = None,
    errors: str = "strict",
    meta: dict[str, str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    input_format: str | None = None,
) -> ReadResult:
    """Decode and parse a file's bytes (as Markdown or plain text: see input_format_of)."""
    input_format_of(name, input_format)  # an unknown format before any decoding
    check_size(data, max_bytes, name)
    if not data:
        raise InputError(f"{name}: no text (the file is empty)")
    decoded = decode(data, name, encoding, errors)
    return read_decoded(
        decoded.text,
        name=name,
        input_format=input_format,
        meta=meta,
        encoding=decoded.encoding,
    )


def read_file(
    path: str | Path,
    *,
    encoding: str | None = None,
    errors: str = "strict",
    meta: dict[str, str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    input_format: str | None = None,
) -> Document:
    """Read a text or Markdown file into a Document (see read_path for what was dropped)."""
    return read_path(
        path,
        encoding=encoding,
        errors=errors,
        meta=meta,
        max_bytes=max_bytes,
        input_format=input_format,
    ).document


def load_bytes(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """A file's bytes; InputError when it is missing, a folder, unreadable or over ``max_bytes``.

    At most ``max_bytes + 1`` bytes are read, so an endless input (``/dev/zero``, a FIFO that
    never ends) stops at the limit; a FIFO is read once.
    """
    try:
        with path.open("rb") as stream:
            size = os.fstat(stream.fileno()).st_size  # 0 for FIFOs and devices: read to know
            if max_bytes and size > max_bytes:
                raise _over_limit(str(path), max_bytes, size)
            return read_limited(stream, max_bytes, str(path))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None


def read_limited(stream: BinaryIO, max_bytes: int, name: str) -> bytes:
    """All of ``stream`` (a file, a pipe, standard input), or InputError as soon as it holds more
    than ``max_bytes`` (0: no limit); never more than ``max_bytes + 1`` bytes are read."""
    data = read_at_most(stream, max_bytes + 1 if max_bytes else 0)
    check_size(data, max_bytes, name)
    return data


def read_at_most(stream: BinaryIO, count: int) -> bytes:
    """The first ``count`` bytes of ``stream`` (0: all of it), read in chunks."""
    if not count:
        return stream.read()
    chunks: list[bytes] = []
    total = 0
    while total < count and (chunk := stream.read(min(_CHUNK, count - total))):
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def check_size(data: bytes, max_bytes: int, name: str) -> None:
    """InputError when ``data`` is over ``max_bytes`` (0: no limit)."""
    if max_bytes and len(data) > max_bytes:  # the data may be cut at max_bytes + 1: no size
        raise _over_limit(name, max_bytes)


def _over_limit(name: str, max_bytes: int, size: int = 0) -> InputError:
    what = f"{size:,} bytes, " if size else ""
    return InputError(f"{name}: {what}over the {max_bytes:,}-byte limit (raise it with --max-size)")


def read_path(
    path: str | Path,
    *,
    encoding: str | None = None,
    errors: str = "strict",
    meta: dict[str, str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    input_format: str | None = None,
) -> ReadResult:
    """Read a text or Markdown file; InputError when it is missing, unreadable, too large or
    undecodable (or ``input_format`` is unknown)."""
    p = Path(path)
    input_format_of(str(p), input_format)
    data = load_bytes(p, max_bytes)
    return read_bytes(
        data,
        name=str(p),
        encoding=encoding,
        errors=errors,
        meta=meta,
        max_bytes=0,
        input_format=input_format,
    )
