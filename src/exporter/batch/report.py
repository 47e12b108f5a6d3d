"""What a batch run did: a record per input and output, totals, the exit code, the JSON report."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exporter import __version__

REPORT_SCHEMA = "exporter.report/1"


@dataclass
class OutputRecord:
    """One output of one input."""

    format: str
    path: str
    status: str = "pending"  # written | unchanged | failed
    bytes: int = 0
    sha256: str = ""


@dataclass
class InputRecord:
    """What happened to one input."""

    input: str
    status: str = "pending"  # converted | unchanged | failed
    outputs: list[OutputRecord] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def fail(self, stage: str, message: str) -> InputRecord:
        """Mark the input failed at ``stage``; returns itself."""
        self.status = "failed"
        self.errors.append({"stage": stage, "message": message})
        return self

    def to_json(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "status": self.status,
            "outputs": [o.__dict__ for o in self.outputs],
            "warnings": self.warnings,
            "errors": self.errors,
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
        }


#: Called with each input's record as soon as it is final.
Progress = Callable[[InputRecord], None]


@dataclass
class BatchReport:
    """The whole run: per input records and totals; ``exit_code`` follows the CLI's rules."""

    records: list[InputRecord]
    seconds: float
    usage_error: str = ""
    report_error: str = ""  # the JSON report could not be written: why (the run is exit 1)

    @property
    def failed(self) -> list[InputRecord]:
        return [r for r in self.records if r.status == "failed"]

    @property
    def exit_code(self) -> int:
        if self.usage_error:
            return 2
        if not self.failed:
            return 1 if self.report_error else 0
        # A single input that cannot be read at all is exit 2; failures in a batch are exit 1.
        if len(self.records) == 1 and self.failed[0].errors[0]["stage"] == "read":
            return 2
        return 1

    def totals(self) -> dict[str, Any]:
        outs = [o for r in self.records for o in r.outputs]
        return {
            "inputs": len(self.records),
            "converted": sum(r.status == "converted" for r in self.records),
            "unchanged": sum(r.status == "unchanged" for r in self.records),
            "failed": len(self.failed),
            "outputs_written": sum(o.status == "written" for o in outs),
            "outputs_unchanged": sum(o.status == "unchanged" for o in outs),
            "bytes": sum(o.bytes for o in outs if o.status in ("written", "unchanged")),
            "warnings": sum(len(r.warnings) for r in self.records),
            "seconds": round(self.seconds, 3),
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": REPORT_SCHEMA,
            "exporter": __version__,
            "exit_code": self.exit_code,
            "inputs": [r.to_json() for r in self.records],
            "totals": self.totals(),
        }

    def save(self, path: Path) -> None:
        """Write the JSON report to ``path`` as every output is written (atomic_output: a device or
        FIFO written through, a symlink's target replaced); WriterError if it cannot.

        File names that are not UTF-8 show each undecodable byte as ``\\xNN`` (see json_safe).
        """
        body = json.dumps(json_safe(self.to_json()), ensure_ascii=False, indent=2) + "\n"
        data = body.encode("utf-8")
        from exporter.batch.atomic import atomic_write_bytes

        atomic_write_bytes(path, data)


def json_safe(value: Any) -> Any:
    """``value`` with every string valid Unicode: a file name's undecodable bytes (held as lone
    surrogates by Python's surrogateescape) become the text ``\\xNN``, as Python prints them."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            if _escaped(value):
                return value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            return value.encode("utf-8", "backslashreplace").decode("utf-8")
        return value
    if isinstance(value, dict):
        return {json_safe(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value


def _escaped(value: str) -> bool:
    """Whether every lone surrogate in ``value`` is one of surrogateescape's (U+DC80..U+DCFF)."""
    return all(not 0xD800 <= ord(ch) <= 0xDFFF or 0xDC80 <= ord(ch) <= 0xDCFF for ch in value)
