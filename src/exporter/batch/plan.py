"""Planning a batch: expand folders into inputs, name each input's outputs, refuse collisions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from exporter.batch.manifest import Entry, Manifest
from exporter.batch.report import InputRecord
from exporter.options.settings import BatchOptions

STDIN = "-"


@dataclass(frozen=True, slots=True)
class Target:
    """One output to build: its format, its path (or ``-``) and what the manifest says is there."""

    format: str
    path: str
    entry: Entry | None  # None: nothing reusable (never built, --force, or standard output)


@dataclass(frozen=True, slots=True)
class Task:
    """One input and its outputs; sent to a worker, which reads the input (once) and decides."""

    index: int  # the input's place in the run, for the report's order
    input: str
    data: bytes | None  # standard input's bytes; files are read by the worker
    targets: tuple[Target, ...]
    options: BatchOptions


def expand_inputs(inputs: Sequence[str], pattern: str) -> list[tuple[str, Path | None]]:
    """(input, root folder or None) for files, folders (recursive ``pattern``) and ``-``."""
    found: list[tuple[str, Path | None]] = []
    for item in inputs:
        if item == STDIN:
            found.append((STDIN, None))
            continue
        path = Path(item)
        if path.is_dir():
            for f in sorted(path.rglob(pattern)):
                if f.is_file() and not f.name.startswith("."):
                    found.append((str(f), path))
        else:
            found.append((str(path), None))
    return found


def target_path(out_dir: Path, input_path: str, root: Path | None, ext: str) -> Path:
    """Where an input's output goes: the folder tree below ``root`` mirrored under ``out_dir``."""
    if input_path == STDIN:
        return out_dir / ("stdin" + ext)
    p = Path(input_path)
    if root is not None:
        return (out_dir / p.relative_to(root)).with_suffix(ext)
    return out_dir / (p.stem + ext)


def plan_tasks(
    expanded: Sequence[tuple[str, Path | None]],
    options: BatchOptions,
    extensions: Mapping[str, str],
    manifest: Manifest,
    stdin_data: bytes | None,
) -> tuple[list[Task], dict[int, InputRecord]]:
    """A task per input, and the records of inputs refused before any work (output collisions)."""
    tasks: list[Task] = []
    refused: dict[int, InputRecord] = {}
    claimed: dict[str, str] = {}
    for index, (inp, root) in enumerate(expanded):
        targets = []
        for fmt in options.formats:
            path = options.output or str(target_path(options.out_dir, inp, root, extensions[fmt]))
            if path != STDIN and claimed.get(path, inp) != inp:
                message = f"output {path} would overwrite the output of {claimed[path]}"
                refused[index] = InputRecord(inp).fail("plan", message)
                break
            claimed[path] = inp
            reusable = path != STDIN and not options.force
            targets.append(Target(fmt, path, manifest.entry(path) if reusable else None))
        if index not in refused:
            data = None
            if inp == STDIN:
                data = stdin_data if stdin_data is not None else _read_stdin()
            tasks.append(Task(index, inp, data, tuple(targets), options))
    return tasks, refused


def _read_stdin() -> bytes:
    import sys

    return sys.stdin.buffer.read()
