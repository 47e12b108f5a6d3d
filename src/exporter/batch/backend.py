"""Where a batch runs and stores: the executor (process pool or Dask), fsspec URLs, storage options."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from exporter.errors import OptionsError
from exporter.record import record

#: The executors ``--executor`` takes: the local process pool (default) and Dask distributed.
EXECUTORS: tuple[str, ...] = ("process", "dask")

#: Storage options as (key, value) pairs: kept in tasks (workers open storage with them).
StorageOptions = tuple[tuple[str, Any], ...]


@record
class Backend:
    """How a batch is run beyond the conversion options: the executor, the Dask scheduler or
    local worker count, fsspec storage options (credentials among them: never printed) and
    the output folder when it is a URL (``-d s3://bucket/out/``)."""

    executor: str = "process"
    scheduler: str | None = None
    workers: int | None = None
    storage_options: StorageOptions = ()
    out_url: str | None = None

    def __repr__(self) -> str:  # storage options may hold secrets: never shown
        keys = ",".join(k for k, _ in self.storage_options)
        return (
            f"Backend(executor={self.executor!r}, scheduler={self.scheduler!r}, "
            f"workers={self.workers!r}, storage_options=<{keys}>, out_url={self.out_url!r})"
        )


def make_backend(
    executor: str | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    storage_options: Mapping[str, Any] | Sequence[str] | None = None,
    out_dir: str | None = None,
) -> Backend:
    """A Backend from CLI or API values; OptionsError for a bad one."""
    kind = executor or "process"
    if kind not in EXECUTORS:
        raise OptionsError(f"executor (--executor) must be {' or '.join(EXECUTORS)}, got {kind!r}")
    if kind != "dask" and (scheduler is not None or workers is not None):
        raise OptionsError("--scheduler and --workers need --executor dask")
    if workers is not None and workers < 1:
        raise OptionsError(f"workers (--workers) must be 1 or more, got {workers}")
    if scheduler is not None and "://" not in scheduler:
        raise OptionsError(f"--scheduler {scheduler!r}: give an address like tcp://HOST:8786")
    pairs = storage_pairs(storage_options or ())
    url = out_dir if out_dir is not None and is_url(out_dir) else None
    return Backend(kind, scheduler, workers, pairs, url)


def storage_pairs(given: Mapping[str, Any] | Sequence[str]) -> StorageOptions:
    """``KEY=VALUE`` strings (the CLI) or a mapping (the API) as sorted pairs; a string VALUE
    that is JSON (``true``, ``8``, ``{"a": 1}``) becomes that value."""
    if isinstance(given, Mapping):
        return tuple(sorted((str(k), v) for k, v in given.items()))
    out: dict[str, Any] = {}
    for item in given:
        key, sep, value = str(item).partition("=")
        if not sep or not key.strip():
            raise OptionsError(f"--storage-option {key!r}: give KEY=VALUE")
        out[key.strip()] = _value(value)
    return tuple(sorted(out.items()))


def _value(text: str) -> Any:
    try:
        value = json.loads(text)
    except ValueError:
        return text
    return value if isinstance(value, bool | int | float | dict | list) else text


def is_url(name: str) -> bool:
    """Whether ``name`` is an fsspec URL of storage other than the local file system."""
    protocol, sep, _ = name.partition("://")
    if not sep or not protocol or protocol == "file":
        return False
    return all(c.isalnum() or c in "+-." for c in protocol)


def local_name(name: str) -> str:
    """``file://`` URLs as plain paths (the local code path: atomic renames, the folder lock)."""
    return name[len("file://") :] if name.startswith("file://") else name


def uses_memory(names: Iterable[str]) -> bool:
    """Whether any name is a ``memory://`` URL (that store lives in one process)."""
    return any(n.startswith("memory://") for n in names)
