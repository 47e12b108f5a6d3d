"""The incremental-build manifest: what each output was built from, kept in the output folder."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from exporter.batch.atomic import atomic_write_bytes
from exporter.batch.report import OutputRecord
from exporter.options.settings import BatchOptions
from exporter.record import record

MANIFEST_NAME = ".exporter-manifest.json"


@record
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
    """The manifest file of one output folder: entries keyed by output path relative to it.

    Loaded once; each save merges this run's entries into the file as it is then, under the
    folder's lock, so concurrent runs into one folder keep each other's entries.
    """

    def __init__(self, out_dir: Path) -> None:
        self.folder = out_dir
        self.path = out_dir / MANIFEST_NAME
        #: Why the file, or the entry of a key, was ignored: warnings for the run to report.
        self.problems: list[str] = []
        self.bad: dict[str, str] = {}
        self.entries = self._load(report=True)
        self.written: dict[str, dict[str, Any]] = {}

    def key(self, output: Path | str) -> str | None:
        """The entry key of ``output``: its path below the folder (None: not below it)."""
        try:
            return Path(output).relative_to(self.folder).as_posix()
        except ValueError:
            return None

    def entry(self, output: Path | str) -> Entry | None:
        """What the manifest holds for ``output`` (None: nothing usable)."""
        key = self.key(output)
        raw = self.entries.get(key) if key is not None else None
        return Entry(raw["key"], raw["bytes"], raw["sha256"], raw["mtime_ns"]) if raw else None

    def record(self, output: Path, key: str, rec: OutputRecord) -> None:
        name = self.key(output)
        if name is None:
            return
        self.written[name] = {
            "key": key,
            "bytes": rec.bytes,
            "sha256": rec.sha256,
            "mtime_ns": output.stat().st_mtime_ns,
        }

    def save(self) -> None:
        """Merge this run's entries into the file under the folder lock; entries that no longer
        describe their output file (gone, or changed since) are dropped."""
        from exporter import diagnostics
        from exporter.batch.lock import folder_lock

        def waiting(pid: int | None) -> None:
            holder = f"run {pid}" if pid else "another run"
            diagnostics.warn("output-locked", f"waiting for {holder} to update {self.path}")

        with folder_lock(self.folder, waiting):
            current = self._load(report=False)
            merged: dict[str, dict[str, Any]] = {}
            for key in sorted(current.keys() | self.written.keys()):
                for raw in (self.written.get(key), current.get(key)):
                    if raw is not None and _describes(self.folder / key, raw):
                        merged[key] = raw
                        break
            body = json.dumps({"schema": SCHEMA, "outputs": merged}, ensure_ascii=False, indent=1)
            # A file name that is not UTF-8 holds lone surrogates (os.fsdecode): backslashreplace
            # writes each as the JSON escape \udcXX, which json.loads reads back unchanged.
            atomic_write_bytes(self.path, body.encode("utf-8", "backslashreplace"))

    def _load(self, report: bool) -> dict[str, dict[str, Any]]:
        """The file's usable entries; with ``report``, note why anything was ignored."""
        problems: list[str] = []
        try:
            data = json.loads(self.path.read_bytes())
        except FileNotFoundError:
            data = {"outputs": {}}
        except OSError as exc:
            problems.append(f"cannot read it ({exc.strerror}): every output is rebuilt")
            data = {"outputs": {}}
        except ValueError:
            problems.append("not valid JSON: every output is rebuilt")
            data = {"outputs": {}}
        entries, bad = usable_entries(data, str(self.path), _FIELDS, problems, _relative_key)
        if report:
            self.problems, self.bad = [f"{self.path}: {p}" for p in problems], bad
        return entries


SCHEMA = "exporter.manifest/1"
_FIELDS = {"key": str, "bytes": int, "sha256": str, "mtime_ns": int}


def _relative_key(key: str) -> bool:
    path = Path(key)
    return bool(key) and not path.is_absolute() and ".." not in path.parts


def usable_entries(
    data: Any,
    label: str,
    fields: dict[str, type],
    problems: list[str],
    keep: Callable[[str], bool] = lambda key: True,
) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """A loaded manifest's complete entries, and why each other entry was ignored (by key).

    A key ``keep`` refuses is dropped without a word (it is rebuilt once); a file that is not a
    manifest at all adds a line to ``problems``. Shared by the local and the remote manifest.
    """
    entries: dict[str, dict[str, Any]] = {}
    bad: dict[str, str] = {}
    outputs = data.get("outputs") if isinstance(data, dict) else None
    if not isinstance(outputs, dict):
        problems.append("not a manifest (no outputs object): every output is rebuilt")
        return entries, bad
    for key, raw in outputs.items():
        if not keep(key):
            continue
        if not isinstance(raw, dict):
            bad[key] = f"{label}: entry {key!r} is not an object; ignored"
        elif not all(isinstance(raw.get(name), kind) for name, kind in fields.items()):
            bad[key] = f"{label}: entry {key!r} is incomplete; ignored"
        else:
            entries[key] = raw
    return entries, bad


def _describes(output: Path, raw: dict[str, Any]) -> bool:
    """Whether entry ``raw`` still describes ``output`` (same size and mtime)."""
    try:
        st = output.stat()
    except OSError:
        return False
    return bool(st.st_size == raw["bytes"] and st.st_mtime_ns == raw["mtime_ns"])
