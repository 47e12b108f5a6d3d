"""Inputs and outputs as fsspec URLs (s3://, memory://, …): listing, reading, one PUT per output,
and the incremental manifest kept at the output URL."""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping, Sequence
from pathlib import PurePosixPath
from typing import Any

from exporter.batch.backend import StorageOptions, is_url
from exporter.batch.manifest import MANIFEST_NAME, Entry, usable_entries
from exporter.batch.report import InputRecord, OutputRecord
from exporter.errors import InputError, OptionsError, WriterError

#: The manifest's schema at a URL: an output's state is its size and ``stamp`` (the object's
#: ETag, else its modification time as the store reports it), not a local mtime.
SCHEMA = "exporter.remote-manifest/1"
_FIELDS = {"key": str, "bytes": int, "sha256": str, "stamp": str}


def filesystem(url: str, options: StorageOptions) -> tuple[Any, str]:
    """The fsspec file system of ``url`` and the path inside it; OptionsError when the protocol
    is unknown or its package (s3fs for s3://) is not installed."""
    try:
        import fsspec
    except ImportError:
        raise OptionsError(f"{url}: URLs need fsspec: pip install 'exporter[dask]'") from None
    try:
        fs, path = fsspec.core.url_to_fs(url, **dict(options))
    except (ImportError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise OptionsError(f"{url}: {reason}") from None
    return fs, path


def stamp(info: Mapping[str, Any]) -> str:
    """What says an object changed: its ETag (a hash of the bytes on S3), else its time."""
    for name in ("ETag", "etag"):
        if info.get(name):
            return str(info[name]).strip('"')
    for name in ("mtime", "LastModified", "last_modified", "created"):
        value = info.get(name)
        if isinstance(value, datetime.datetime):
            return repr(value.timestamp())
        if isinstance(value, int | float):
            return repr(float(value))
        if value:
            return str(value)
    return ""


def read_url(url: str, max_bytes: int, options: StorageOptions) -> bytes:
    """An object's bytes (at most ``max_bytes + 1`` are fetched); InputError when it cannot be."""
    from exporter.reader import check_size

    try:
        fs, path = filesystem(url, options)
        end = max_bytes + 1 if max_bytes else None
        data: bytes = fs.cat_file(path, start=0, end=end) if end else fs.cat_file(path)
    except OptionsError as exc:
        raise InputError(str(exc)) from None
    except FileNotFoundError:
        raise InputError(f"{url}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{url}: is a folder, not a file") from None
    except Exception as exc:  # the store's own errors (network, permissions): one line
        raise InputError(f"{url}: cannot read ({_reason(exc)})") from None
    check_size(data, max_bytes, url)
    return data


def write_url(url: str, payload: bytes, options: StorageOptions) -> str:
    """Store ``payload`` at ``url`` in one request (an object store's PUT is atomic: the object
    is there complete or not at all); returns its stamp. WriterError when it cannot be."""
    try:
        fs, path = filesystem(url, options)
        try:
            fs.pipe_file(path, payload)
        except FileNotFoundError:  # a file system with folders (an object store has none)
            fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
            fs.pipe_file(path, payload)
        return stamp(fs.info(path))
    except Exception as exc:
        raise WriterError(f"cannot write {url}: {_reason(exc)}") from None


def _reason(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def expand_url(
    url: str, patterns: Sequence[str], options: StorageOptions
) -> list[tuple[str, str | None]]:
    """(input URL, root URL or None) for a URL naming an object or a folder (prefix): a folder's
    objects whose names match one of ``patterns`` (as Path.rglob would), in order."""
    fs, path = filesystem(url, options)
    try:
        fs.invalidate_cache()
        if not fs.isdir(path):
            return [(url, None)]
        root = path.rstrip("/")
        found = sorted(fs.find(root))
    except Exception as exc:
        raise OptionsError(f"{url}: cannot list ({_reason(exc)})") from None
    out: list[tuple[str, str | None]] = []
    root_url = fs.unstrip_protocol(root)
    for item in found:
        rel = PurePosixPath(item[len(root) :].lstrip("/"))
        if rel.name.startswith(".") or not any(rel.match(p) for p in patterns):
            continue
        out.append((fs.unstrip_protocol(item), root_url))
    return out


def relative_name(input_name: str, root: str | None) -> PurePosixPath:
    """An input's place below its root folder (URL or path), or its file name alone."""
    if root is None:
        return PurePosixPath(PurePosixPath(input_name.replace("\\", "/")).name)
    if is_url(root):
        return PurePosixPath(input_name[len(root) :].lstrip("/"))
    from pathlib import Path

    return PurePosixPath(Path(input_name).relative_to(root).as_posix())


class RemoteManifest:
    """The manifest at an output URL: entries keyed by output path below it.

    Loaded once, with one listing of the output prefix (the state of every output, without a
    request per object); saved whole, in one PUT, after the outputs it describes. Concurrent
    runs into one URL are not coordinated (no lock on an object store): the last save wins,
    and what it lost is rebuilt by a later run.
    """

    def __init__(self, url: str, options: StorageOptions) -> None:
        self.url = url.rstrip("/")
        self.path = self.url + "/" + MANIFEST_NAME
        self.options = options
        self.problems: list[str] = []
        self.bad: dict[str, str] = {}
        self.listing = self._list()
        self.entries = self._load(report=True)
        self.written: dict[str, dict[str, Any]] = {}

    def key(self, output: str) -> str | None:
        prefix = self.url + "/"
        return output[len(prefix) :] if output.startswith(prefix) else None

    def entry(self, output: str) -> Entry | None:
        """The manifest's entry for ``output`` when the object is still the one it describes."""
        key = self.key(output)
        raw = self.entries.get(key) if key is not None else None
        listed = self.listing.get(key) if key is not None else None
        if raw is None or listed is None or listed != (raw["bytes"], raw["stamp"]):
            return None
        return Entry(raw["key"], raw["bytes"], raw["sha256"], 0)

    def record(self, output: str, key: str, rec: OutputRecord, stamp_: str) -> None:
        name = self.key(output)
        if name is not None:
            self.written[name] = {
                "key": key,
                "bytes": rec.bytes,
                "sha256": rec.sha256,
                "stamp": stamp_,
            }

    def save(self) -> None:
        """Merge this run's entries into the manifest as it is now; one PUT."""
        merged = {**self._load(report=False), **self.written}
        body = json.dumps(
            {"schema": SCHEMA, "outputs": dict(sorted(merged.items()))},
            ensure_ascii=False,
            indent=1,
        )
        write_url(self.path, body.encode("utf-8", "backslashreplace"), self.options)

    def _list(self) -> dict[str, tuple[int, str]]:
        fs, root = filesystem(self.url, self.options)
        root = root.rstrip("/")
        try:
            fs.invalidate_cache()
            found = fs.find(root, detail=True) if fs.isdir(root) else {}
        except FileNotFoundError:
            return {}
        except Exception as exc:
            raise OptionsError(f"{self.url}: cannot list ({_reason(exc)})") from None
        return {
            name[len(root) :].lstrip("/"): (int(info.get("size") or 0), stamp(info))
            for name, info in found.items()
        }

    def _load(self, report: bool) -> dict[str, dict[str, Any]]:
        problems: list[str] = []
        data: Any = {"outputs": {}}
        try:
            fs, path = filesystem(self.path, self.options)
            data = json.loads(fs.cat_file(path))
        except FileNotFoundError:
            pass
        except ValueError:
            problems.append("not valid JSON: every output is rebuilt")
        except Exception as exc:
            problems.append(f"cannot read it ({_reason(exc)}): every output is rebuilt")
        entries, bad = usable_entries(data, self.path, _FIELDS, problems)
        if report:
            self.problems, self.bad = [f"{self.path}: {p}" for p in problems], bad
        return entries


def plan_remote(
    expanded: Sequence[tuple[str, Any]],
    formats: Sequence[str],
    extensions: Mapping[str, str],
    out_url: str,
    manifest: RemoteManifest | None,
    force: bool,
) -> tuple[dict[int, list[tuple[str, str, Entry | None]]], dict[int, InputRecord]]:
    """Per input index, its (format, output URL, reusable entry) targets below ``out_url``, and
    the records of inputs refused because their output collides with another input's."""
    base = out_url.rstrip("/")
    targets: dict[int, list[tuple[str, str, Entry | None]]] = {}
    refused: dict[int, InputRecord] = {}
    claimed: dict[str, str] = {}
    for index, (inp, root) in enumerate(expanded):
        rel = (
            PurePosixPath("stdin")
            if inp == "-"
            else relative_name(inp, None if root is None else str(root))
        )
        mine = []
        for fmt in formats:
            url = f"{base}/{rel.with_suffix(extensions[fmt]).as_posix()}"
            if claimed.get(url, inp) != inp:
                refused[index] = InputRecord(inp).fail(
                    "plan", f"output {url} would overwrite the output of {claimed[url]}"
                )
                break
            claimed[url] = inp
            entry = manifest.entry(url) if manifest is not None and not force else None
            mine.append((fmt, url, entry))
        if index not in refused:
            targets[index] = mine
    return targets, refused
