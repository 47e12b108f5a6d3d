"""The Python API: read text into a Document, write it to any registered format, run batches."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from exporter.batch.report import BatchReport, Progress
from exporter.model import Document
from exporter.options import WriteOptions
from exporter.reader import DEFAULT_MAX_BYTES, read_bytes, read_decoded, read_path


def read_text(
    text: str, *, meta: Mapping[str, str] | None = None, input_format: str | None = None
) -> Document:
    """Parse a string of Chinese text into a Document (``meta`` as with ``-M key=value``);
    ``input_format="markdown"`` reads it as Markdown (no image is read: there is no folder)."""
    return read_decoded(
        text, name="<text>", input_format=input_format or "text", meta=dict(meta or {})
    ).document


def read_file(
    path: str | Path,
    *,
    encoding: str | None = None,
    errors: str = "strict",
    meta: Mapping[str, str] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    input_format: str | None = None,
) -> Document:
    """Read a text or Markdown file (encoding detected unless given) into a Document;
    ``input_format`` "markdown" or "text" (None: .md/.markdown names are Markdown)."""
    return read_path(
        path,
        encoding=encoding,
        errors=errors,
        meta=dict(meta or {}),
        max_bytes=max_bytes,
        input_format=input_format,
    ).document


def read_data(
    data: bytes,
    *,
    name: str = "<bytes>",
    encoding: str | None = None,
    input_format: str | None = None,
) -> Document:
    """Decode and parse raw bytes into a Document (Markdown when ``name`` ends in .md or
    ``input_format`` says so; its images are looked up beside ``name``)."""
    return read_bytes(data, name=name, encoding=encoding, input_format=input_format).document


def write_options(
    profile: str | None = None,
    *,
    fonts: Mapping[str, str] | None = None,
    fallback_fonts: Sequence[str] | None = None,
    system_fonts: bool | None = None,
    embed_fonts: bool | None = None,
    strict: bool | None = None,
    chapter_pages: bool | None = None,
    toc: bool | None = None,
    pdfa: str | None = None,
    reference_docx: str | Path | None = None,
) -> WriteOptions:
    """WriteOptions from plain values (profile by name, fonts as ``{role: path}``); None: default."""
    from exporter.options.build import build_settings

    given = {
        "profile": profile,
        "fonts": fonts,
        "fallback_fonts": fallback_fonts,
        "system_fonts": system_fonts,
        "embed_fonts": embed_fonts,
        "strict": strict,
        "chapter_pages": chapter_pages,
        "toc": toc,
        "pdfa": pdfa,
        "reference_docx": reference_docx,
    }
    return build_settings({}, given).write


def write(
    doc: Document,
    fmt: str,
    dest: str | Path | None = None,
    options: WriteOptions | None = None,
) -> bytes | None:
    """Write ``doc`` as ``fmt`` (docx, pdf, epub or a plug-in): to ``dest`` atomically, or return bytes."""
    from exporter.batch.atomic import atomic_output
    from exporter.writers import get_writer

    writer = get_writer(fmt)
    opts = options or WriteOptions()
    if dest is None:
        buf = io.BytesIO()
        writer.write(doc, opts, buf)
        return buf.getvalue()
    with atomic_output(Path(dest)) as stream:
        writer.write(doc, opts, stream)
    return None


def convert(
    inputs: Sequence[str | Path],
    *,
    formats: Sequence[str] | str | None = None,
    out_dir: str | Path | None = None,
    output: str | Path | None = None,
    profile: str | None = None,
    meta: Mapping[str, str] | None = None,
    fonts: Mapping[str, str] | None = None,
    fallback_fonts: Sequence[str] | None = None,
    system_fonts: bool | None = None,
    embed_fonts: bool | None = None,
    strict: bool | None = None,
    chapter_pages: bool | None = None,
    toc: bool | None = None,
    pdfa: str | None = None,
    reference_docx: str | Path | None = None,
    jobs: int | None = None,
    force: bool | None = None,
    fail_fast: bool | None = None,
    glob: str | None = None,
    input_format: str | None = None,
    encoding: str | None = None,
    errors: str | None = None,
    max_size: int | None = None,
    report: str | Path | None = None,
    config: Mapping[str, Any] | None = None,
    progress: Progress | None = None,
    executor: str | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    storage_options: Mapping[str, Any] | None = None,
) -> BatchReport:
    """Convert files and folders as ``exporter convert`` does; the report says what happened.

    Every option is the config key of that name (see ``exporter.options.build.DEFAULTS``); None
    takes the default. ``config`` is a config table (as in exporter.toml) the options override;
    the config file itself is not read. OptionsError for a bad option.

    ``executor="dask"`` runs on a Dask cluster (``scheduler="tcp://HOST:8786"``, else a local
    one of ``workers`` processes); inputs and ``out_dir`` may be fsspec URLs (``s3://…``) opened
    with ``storage_options``.
    """
    given = dict(locals())  # every parameter but these is the option of the same name
    for name in ("inputs", "config", "progress", "executor", "scheduler", "workers"):
        del given[name]
    del given["storage_options"]
    from exporter.batch.backend import local_name, make_backend
    from exporter.batch.dispatch import run
    from exporter.batch.plan import check_outputs
    from exporter.options.build import build_settings

    where = None if out_dir is None else str(out_dir)
    backend = make_backend(executor, scheduler, workers, storage_options, where)
    if backend.out_url is not None:
        given["out_dir"] = None  # a URL: the backend holds it (a Path would lose its "//")
    for key in ("out_dir", "output"):
        if isinstance(given[key], str):
            given[key] = local_name(given[key])
    settings = build_settings(config or {}, given, source="config")
    names = [str(i) for i in inputs]
    checked = settings.batch
    if backend.out_url is not None:
        from dataclasses import replace

        checked = replace(checked, out_dir=Path.cwd())
    check_outputs(names, checked, settings.report)  # as the CLI: before anything is written
    return run(names, settings, progress, None, backend)
