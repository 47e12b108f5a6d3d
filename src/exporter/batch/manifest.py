"""The incremental-build manifest: what each output was built from, kept in the output folder."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from exporter.batch.atomic import atomic_write_bytes
from exporter.batch.report import OutputRecord
from exporter.options.settings import BatchOptions

MANIFEST_NAME = ".exporter-manifest.json"


@dataclass(frozen=True, slots=True)
class Entry:
    """One output as the manifest last saw it: the key it was built for and its file's state."""

    key: str
    bytes: int
    sha256: str
    mtime_ns: int

    def fresh(self, output: Path, key: str) -> bool:
        """Whether ``output`` is still the file built for ``key`` (same key, size and mtime)."""
        if key != self.key:
            return False
        try:
            st = output.stat()
        except OSError:
            return False
        return st.st_size == self.bytes and st.st_mtime_ns == self.mtime_ns


def input_keys(data: bytes, options: BatchOptions) -> dict[str, str]:
    """Per format, the hash of the input bytes and of everything else that decides the output."""
    h = hashlib.sha256(data)
    keys = {}
    for fmt in options.formats:
        each = h.copy()
        each.update(options.fingerprint(fmt).encode())
        keys[fmt] = each.hexdigest()
    return keys


class Manifest:
    """The manifest file of one output folder, loaded once and saved after the run."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / MANIFEST_NAME
        self.entries: dict[str, dict[str, Any]] = {}
        try:
            data = json.loads(self.path.read_text("utf-8"))
            if isinstance(data, dict) and isinstance(data.get("outputs"), dict):
                self.entries = data["outputs"]
        except (OSError, ValueError):
            self.entries = {}

    def entry(self, output: str) -> Entry | None:
        """What the manifest holds for ``output`` (None: nothing usable)."""
        raw = self.entries.get(output)
        try:
            return Entry(raw["key"], raw["bytes"], raw["sha256"], raw["mtime_ns"]) if raw else None
        except (KeyError, TypeError):
            return None

    def record(self, output: Path, key: str, rec: OutputRecord) -> None:
        st = output.stat()
        self.entries[str(output)] = {
            "key": key,
            "bytes": rec.bytes,
            "sha256": rec.sha256,
            "mtime_ns": st.st_mtime_ns,
        }

    def save(self) -> None:
        body = {"schema": "exporter.manifest/1", "outputs": dict(sorted(self.entries.items()))}
        atomic_write_bytes(self.path, json.dumps(body, ensure_ascii=False, indent=1).encode())
