"""A job's downloads in one zip, and its JSON report (the shape of ``exporter convert --report``)."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path
from typing import Any

from exporter.batch.report import BatchReport, InputRecord, OutputRecord
from exporter.web.jobs import Job


def pack(job: Job) -> tuple[str, dict[str, Any]]:
    """Write ``all.zip`` into the job's folder (every chosen output, plus ``report.json`` when
    there are several inputs); returns its name and the report, whose output paths are the
    names inside the zip."""
    records: list[InputRecord] = []
    names: set[str] = set()
    members: list[tuple[Path, str]] = []
    for item in job.inputs:
        res = item.result or {}
        data = res.get("record")
        if data is None:
            rec = InputRecord(item.name).fail("read", str(res.get("error", "not converted")))
            records.append(rec)
            continue
        rec = InputRecord(
            item.name,
            data["status"],
            warnings=data["warnings"],
            errors=data["errors"],
            timings=data["timings"],
        )
        for out in data["outputs"]:
            if out["format"] not in job.formats:
                continue  # the PDF made only for the preview
            arcname = _unique(f"{item.stem}.{out['format']}", names)
            if out["status"] == "written":
                members.append((item.folder / "out" / out["path"], arcname))
            rec.outputs.append(
                OutputRecord(out["format"], arcname, out["status"], out["bytes"], out["sha256"])
            )
        records.append(rec)
    report = BatchReport(records, max(0.0, job.finished - job.started)).to_json()
    name = "all.zip"
    tmp = job.folder / f".{name}.tmp"
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for path, arcname in members:
            zf.write(path, arcname)
        if len(job.inputs) > 1:
            zf.writestr("report.json", json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    os.replace(tmp, job.folder / name)
    return name, report


def _unique(name: str, taken: set[str]) -> str:
    """``name``, or ``stem-2.ext``… when an earlier input had the same name."""
    stem, _, ext = name.rpartition(".")
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{stem}-{n}.{ext}"
    taken.add(candidate)
    return candidate
