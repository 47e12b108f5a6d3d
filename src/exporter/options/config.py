"""Defaults from exporter.toml (current folder) or [tool.exporter] in pyproject.toml; flags win."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from exporter.errors import InputError

#: Keys the config file may hold, with the type each must have.
KEYS: dict[str, type | tuple[type, ...]] = {
    "profile": str,
    "formats": (list, str),
    "out_dir": str,
    "meta": dict,
    "fonts": dict,
    "fallback_fonts": list,
    "system_fonts": bool,
    "embed_fonts": bool,
    "jobs": int,
    "strict": bool,
    "glob": str,
    "encoding": str,
    "errors": str,
    "max_size": int,
}


def load_config(folder: Path | None = None) -> tuple[dict[str, Any], Path | None]:
    """The config in force for ``folder`` (default: the current folder) and where it came from."""
    folder = folder or Path.cwd()
    own = folder / "exporter.toml"
    if own.is_file():
        return _check(_load(own), own), own
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file():
        data = _load(pyproject).get("tool", {}).get("exporter")
        if isinstance(data, dict):
            return _check(data, pyproject), pyproject
    return {}, None


def _load(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{path}: cannot read config: {exc}") from None


def _check(data: dict[str, Any], path: Path) -> dict[str, Any]:
    for key, value in data.items():
        kind = KEYS.get(key)
        if kind is None:
            raise InputError(f"{path}: unknown config key {key!r} (known: {', '.join(KEYS)})")
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise InputError(f"{path}: config key {key!r} has the wrong type")
    return data
