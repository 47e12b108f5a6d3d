"""What a worker process does for a job: read an input for the form, convert it, render the preview.

Everything here runs in the process pool, never on the server's event loop; it goes through the
Python API (``exporter.api``) with the config table the server loaded, so a conversion is the
one ``exporter convert`` makes with the same options and fonts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

#: The 公文 fields on the page: the CLI's Chinese ``-M`` keys (README, 公文 for clerks).
FIELDS = (
    "发文机关",
    "发文字号",
    "签发人",
    "份号",
    "密级",
    "紧急程度",
    "抄送",
    "印发机关",
    "印发日期",
    "附注",
)


def warm_up() -> None:
    """A worker's initializer: Ctrl+C is the server's to handle (it stops the pool), and the
    reader and writers are imported once, so the first job is not the slow one."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import exporter.api
    import exporter.writers  # noqa: F401


def analyse(path: str, shown: str, config: dict[str, Any]) -> dict[str, Any]:
    """The title and 公文 fields the reader finds in ``path`` (``shown`` names it in messages),
    or ``{"error": message}`` with the reader's one-line reason it cannot be read."""
    from exporter.api import read_file
    from exporter.errors import ExporterError
    from exporter.options.build import build_settings

    try:
        read = build_settings(config, {}, source="config").read
        doc = read_file(
            path,
            encoding=read.encoding,
            errors=read.errors,
            max_bytes=read.max_bytes,
            input_format=read.input_format,
        )
    except ExporterError as exc:
        return {"error": str(exc).replace(path, shown)}
    meta, off = doc.meta, doc.meta.official
    found = {
        "发文机关": "；".join(off.issuers),
        "发文字号": meta.document_number,
        "签发人": "、".join(off.signers),
        "份号": off.copy,
        "密级": off.classification_text(),
        "紧急程度": off.urgency,
        "抄送": off.cc,
        "印发机关": off.printed_by,
        "印发日期": off.printed_date,
        "附注": off.note,
    }
    return {"title": meta.title, "fields": found}


def convert(
    path: str,
    shown: str,
    out_dir: str,
    formats: list[str],
    profile: str,
    meta: dict[str, str],
    config: dict[str, Any],
) -> dict[str, Any]:
    """Convert one input as ``exporter convert`` would into ``out_dir``; its report record
    (paths replaced by ``shown`` and bare file names) and the files written, by format."""
    from exporter.api import convert as run
    from exporter.errors import ExporterError

    try:
        report = run(
            [path],
            formats=formats,
            out_dir=out_dir,
            profile=profile,
            meta=meta,
            jobs=1,
            force=True,
            config={k: v for k, v in config.items() if k not in ("report", "output")},
        )
    except ExporterError as exc:
        return {"error": str(exc).replace(path, shown)}
    if report.usage_error:
        return {"error": report.usage_error.replace(path, shown)}
    record = report.records[0].to_json()
    files: dict[str, str] = {}
    for out in record["outputs"]:
        name = Path(out["path"]).name
        if out["status"] == "written":
            files[out["format"]] = name
        out["path"] = name
    record["input"] = shown
    for item in (*record["warnings"], *record["errors"]):
        item["message"] = str(item.get("message", "")).replace(path, shown)
    # the preview's page count and outline; its pages are rendered when the page asks for them
    pdf = outline(str(Path(out_dir) / files["pdf"])) if "pdf" in files else None
    return {"record": record, "files": files, "pdf": pdf}


def outline(pdf: str) -> dict[str, Any]:
    """The page count of ``pdf`` and its outline (level, title, page number from 1)."""
    import pypdfium2

    doc = pypdfium2.PdfDocument(pdf)
    try:
        marks = []
        for mark in doc.get_toc():
            target = mark.get_dest()
            index = target.get_index() if target is not None else None
            marks.append(
                {
                    "level": mark.level,
                    "title": mark.get_title(),
                    "page": index + 1 if index is not None else None,
                }
            )
        return {"pages": len(doc), "outline": marks}
    finally:
        doc.close()


def render_page(pdf: str, number: int, scale: float, dest: str) -> None:
    """Render page ``number`` (from 1) of ``pdf`` as a PNG file ``dest`` (written whole, then
    renamed, so a reader never sees half an image)."""
    import os

    import pypdfium2

    from exporter.web.png import encode_rgb

    doc = pypdfium2.PdfDocument(pdf)
    try:
        page = doc[number - 1]
        bitmap = page.render(scale=scale, rev_byteorder=True)  # RGB byte order
        if bitmap.n_channels != 3:
            raise ValueError(f"unexpected bitmap with {bitmap.n_channels} channels")
        png = encode_rgb(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride)
        bitmap.close()
        page.close()
    finally:
        doc.close()
    tmp = f"{dest}.{os.getpid()}.tmp"
    with open(tmp, "wb") as fh:
        fh.write(png)
    os.replace(tmp, dest)
