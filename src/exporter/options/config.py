"""The config file: exporter.toml in the current folder, or [tool.exporter] in pyproject.toml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from exporter.errors import OptionsError


def load_config(folder: Path | None = None) -> tuple[dict[str, Any], Path | None]:
    """The config table in force for ``folder`` (default: the current folder) and its file.

    The table is not checked here: ``exporter.options.build.build_settings`` checks every key
    and value, whichever way it was given.
    """
    folder = folder or Path.cwd()
    own = folder / "exporter.toml"
    if own.is_file():
        return _load(own), own
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file():
        data = _load(pyproject).get("tool", {}).get("exporter")
        if isinstance(data, dict):
            return data, pyproject
    return {}, None


def _load(path: Path) -> dict[str, Any]:
    import tomllib  # only when there is a config file

    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise OptionsError(f"{path}: cannot read config: {exc}") from None
