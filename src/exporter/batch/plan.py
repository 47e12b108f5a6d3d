"""Planning a batch: inputs, their outputs, and refusals (collisions, inputs, paths outside -d)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from exporter.batch.backend import StorageOptions, is_url
from exporter.batch.manifest import Entry, Manifest
from exporter.batch.report import InputRecord
from exporter.errors import OptionsError
from exporter.options.settings import BatchOptions
from exporter.record import record

if TYPE_CHECKING:
    from exporter.batch.storage import RemoteManifest

STDIN = "-"


@record
class Target:
    """One output to build: its format, its path (or ``-``) and what the manifest says is there."""

    format: str
    path: str
    entry: Entry | None  # None: nothing reusable (never built, --force, or standard output)


@record
class Task:
    """One input and its outputs; sent to a worker, which reads the input (once) and decides."""

    index: int  # the input's place in the run, for the report's order
    input: str
    data: bytes | None  # standard input's bytes; files are read by the worker
    targets: tuple[Target, ...]
    options: BatchOptions
    #: fsspec options for the task's URLs (credentials among them; never printed)
    storage_options: StorageOptions = ()

    def __repr__(self) -> str:  # the storage options may hold secrets
        return f"Task({self.index}, {self.input!r}, {len(self.targets)} targets)"


def glob_patterns(pattern: str) -> list[str]:
    """The patterns of a --glob value: a comma separates them (``*.txt,*.md``)."""
    return [p.strip() for p in pattern.split(",") if p.strip()]


def expand_inputs(
    inputs: Sequence[str], pattern: str, storage_options: StorageOptions = ()
) -> list[tuple[str, Path | str | None]]:
    """(input, root folder or None) for files, folders (recursive ``pattern``: one or more
    comma-separated patterns, each file once), fsspec URLs of either (the root a URL) and ``-``.

    OptionsError for a pattern that could match outside its folder.
    """
    check_glob(pattern)
    patterns = glob_patterns(pattern)
    found: list[tuple[str, Path | str | None]] = []
    for item in inputs:
        if item == STDIN:
            found.append((STDIN, None))
            continue
        if is_url(item):
            from exporter.batch.storage import expand_url

            found += expand_url(item, patterns, storage_options)
            continue
        path = Path(item)
        if path.is_dir():
            matched = {f for p in patterns for f in path.rglob(p)}
            for f in sorted(matched):
                if f.is_file() and not f.name.startswith("."):
                    found.append((str(f), path))
        else:
            found.append((str(path), None))
    return found


def check_glob(pattern: str) -> None:
    """OptionsError unless each of ``pattern``'s patterns only matches inside the folder it is
    applied to."""
    parts = glob_patterns(pattern)
    for path in map(Path, parts):
        if path.is_absolute() or path.drive or ".." in path.parts:
            break
    else:
        if parts:
            return
    raise OptionsError(
        f"--glob {pattern!r}: give a pattern inside the input folder (not absolute, no '..')"
    )


def check_outputs(inputs: Sequence[str], options: BatchOptions, report: Path | None) -> None:
    """OptionsError, before anything is written, when ``-o``, ``-d`` or ``--report`` cannot be used:
    an output that is one of the inputs, ``-o`` a folder, ``-d`` not a folder, a bad --glob."""
    check_glob(options.glob)
    if options.output is None and options.out_dir.exists() and not options.out_dir.is_dir():
        raise OptionsError(f"-d {options.out_dir}: not a directory")
    single = options.output if options.output not in (None, STDIN) else None
    if single is not None and Path(single).is_dir():
        raise OptionsError(f"-o {single}: it is a directory; give a file name (or -d {single})")
    named = [("-o", Path(single))] if single is not None else []
    if report is not None:
        named.append(("--report", report))
    named = [(flag, p) for flag, p in named if p.exists()]
    if named:
        ids = input_identities(expand_inputs([i for i in inputs if not is_url(i)], options.glob))
        for flag, path in named:
            refuse_input(flag + " " + str(path), path, ids)


def input_identities(
    expanded: Sequence[tuple[str, Path | str | None]],
) -> dict[tuple[int, int], str]:
    """Each input file's (st_dev, st_ino): the identity a link or another name cannot hide."""
    ids: dict[tuple[int, int], str] = {}
    for inp, _root in expanded:
        if inp != STDIN and not is_url(inp):
            with contextlib.suppress(OSError):
                st = os.stat(inp)
                ids.setdefault((st.st_dev, st.st_ino), inp)
    return ids


def refuse_input(what: str, path: Path, ids: Mapping[tuple[int, int], str]) -> None:
    """OptionsError when ``path`` (through links too) is one of the inputs ``ids``."""
    try:
        st = os.stat(path)
    except OSError:
        return
    inp = ids.get((st.st_dev, st.st_ino))
    if inp is not None:
        raise OptionsError(f"{what} is the input {inp}: refusing to overwrite it")


def target_path(out_dir: Path, input_path: str, root: Path | str | None, ext: str) -> Path:
    """Where an input's output goes: the folder tree below ``root`` mirrored under ``out_dir``."""
    if input_path == STDIN:
        return out_dir / ("stdin" + ext)
    p = Path(input_path)
    if root is not None:
        return (out_dir / p.relative_to(root)).with_suffix(ext)
    return out_dir / (p.stem + ext)


def plan_tasks(
    expanded: Sequence[tuple[str, Path | str | None]],
    options: BatchOptions,
    extensions: Mapping[str, str],
    manifest: Manifest | None,
    stdin_data: bytes | None,
    storage_options: StorageOptions = (),
) -> tuple[list[Task], dict[int, InputRecord]]:
    """A task per input, and the records of inputs refused before any work (output collisions,
    outputs outside the folder); OptionsError when an output would overwrite an input."""
    paths = {
        index: [
            (fmt, options.output or str(target_path(options.out_dir, inp, root, extensions[fmt])))
            for fmt in options.formats
        ]
        for index, (inp, root) in enumerate(expanded)
    }
    ids = input_identities(expanded)
    for named in paths.values():
        for _fmt, path in named:
            if path != STDIN:
                refuse_input(f"output {path}", Path(path), ids)
    folder = os.path.realpath(options.out_dir)
    tasks: list[Task] = []
    refused: dict[int, InputRecord] = {}
    claimed: dict[str, str] = {}
    for index, (inp, _root) in enumerate(expanded):
        targets = []
        for fmt, path in paths[index]:
            if path != STDIN and claimed.get(path, inp) != inp:
                message = f"output {path} would overwrite the output of {claimed[path]}"
                refused[index] = InputRecord(inp).fail("plan", message)
                break
            if options.output is None and not _inside(path, folder):
                message = f"output {path} resolves outside the output folder {options.out_dir}"
                refused[index] = InputRecord(inp).fail("plan", message)
                break
            claimed[path] = inp
            reusable = manifest is not None and path != STDIN and not options.force
            targets.append(
                Target(fmt, path, manifest.entry(path) if manifest and reusable else None)
            )
        if index not in refused:
            data = None
            if inp == STDIN:
                data = stdin_data if stdin_data is not None else _read_stdin(options.max_bytes)
            tasks.append(Task(index, inp, data, tuple(targets), options, storage_options))
    return tasks, refused


def plan_url_tasks(
    expanded: Sequence[tuple[str, Path | str | None]],
    options: BatchOptions,
    extensions: Mapping[str, str],
    out_url: str,
    manifest: RemoteManifest | None,
    stdin_data: bytes | None,
    storage_options: StorageOptions,
) -> tuple[list[Task], dict[int, InputRecord]]:
    """As plan_tasks, for an output folder that is a URL (``-d s3://bucket/out/``)."""
    from exporter.batch.storage import plan_remote

    found, refused = plan_remote(
        expanded, options.formats, extensions, out_url, manifest, options.force
    )
    tasks: list[Task] = []
    for index, (inp, _root) in enumerate(expanded):
        if index in refused:
            continue
        targets = tuple(Target(fmt, url, entry) for fmt, url, entry in found[index])
        data = None
        if inp == STDIN:
            data = stdin_data if stdin_data is not None else _read_stdin(options.max_bytes)
        tasks.append(Task(index, inp, data, targets, options, storage_options))
    return tasks, refused


def _inside(path: str, folder: str) -> bool:
    """Whether ``path``, its links resolved, lands inside ``folder`` (already resolved)."""
    return os.path.commonpath([os.path.realpath(path), folder]) == folder


def _read_stdin(limit: int) -> bytes:
    """Standard input, read once and at most one byte over the size limit (which the reader then
    refuses), so an endless pipe stops there."""
    import sys

    from exporter.reader import read_at_most

    return read_at_most(sys.stdin.buffer, limit + 1 if limit else 0)
