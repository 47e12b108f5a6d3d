"""The one options builder: config file, command-line flags and API arguments all become Settings here."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

from exporter.errors import OptionsError
from exporter.options import ROLES, WriteOptions, get_profile
from exporter.options.settings import DEFAULT_FORMATS, DEFAULT_GLOB, BatchOptions, Settings
from exporter.reader import DEFAULT_MAX_BYTES, INPUT_FORMATS

#: The PDF/A flavours --pdfa takes (exporter.writers.pdf.pdfa makes them).
PDFA_LEVELS: tuple[str, ...] = ("2b", "3b")

#: Every option with its default; the names are the config keys, the API's keyword arguments
#: and (with - for _) the long flags, except ``formats`` (-t/--to), ``fonts`` (--font) and
#: ``input_format`` (--from).
DEFAULTS: Mapping[str, Any] = MappingProxyType(
    {
        "formats": DEFAULT_FORMATS,
        "out_dir": "output",
        "output": None,
        "profile": "standard",
        "meta": {},
        "fonts": {},
        "fallback_fonts": (),
        "system_fonts": True,
        "embed_fonts": True,
        "strict": False,
        "chapter_pages": True,
        "toc": False,
        "pdfa": None,
        "reference_docx": None,
        "jobs": 0,
        "force": False,
        "fail_fast": False,
        "glob": DEFAULT_GLOB,
        "input_format": None,
        "encoding": None,
        "errors": "strict",
        "max_size": DEFAULT_MAX_BYTES,
        "report": None,
    }
)

#: The keys a config file may set (the rest only make sense for one run).
CONFIG_KEYS: tuple[str, ...] = tuple(
    k for k in DEFAULTS if k not in ("output", "force", "fail_fast", "report")
)

_PATH = (str, os.PathLike)
_TYPES: Mapping[str, type | tuple[type, ...]] = MappingProxyType(
    {
        "formats": (str, list, tuple),
        "out_dir": _PATH,
        "output": _PATH,
        "profile": str,
        "meta": (Mapping, list, tuple),
        "fonts": (Mapping, list, tuple),
        "fallback_fonts": (list, tuple),
        "system_fonts": bool,
        "embed_fonts": bool,
        "strict": bool,
        "chapter_pages": bool,
        "toc": bool,
        "pdfa": str,
        "reference_docx": _PATH,
        "jobs": int,
        "force": bool,
        "fail_fast": bool,
        "glob": str,
        "input_format": str,
        "encoding": str,
        "errors": str,
        "max_size": int,
        "report": _PATH,
    }
)


def build_settings(
    config: Mapping[str, Any], overrides: Mapping[str, Any], *, source: str = "config"
) -> Settings:
    """Settings from ``config`` (a config file's table) and ``overrides`` (flags or API arguments).

    Overrides win key by key; ``meta`` and ``fonts`` merge entry by entry. ``None`` in either
    means "not given". ``source`` names the config file in messages. Raises OptionsError.
    """
    given_config = _layer(config, CONFIG_KEYS, f"{source}: ", "config key")
    given = _layer(overrides, tuple(DEFAULTS), "", "option")
    merged = {**DEFAULTS, **given_config, **given}
    merged["meta"] = {**given_config.get("meta", {}), **given.get("meta", {})}
    merged["fonts"] = {**given_config.get("fonts", {}), **given.get("fonts", {})}
    output = merged["output"]
    formats = _output_formats(output, given.get("formats")) or merged["formats"]
    if output is not None and len(formats) != 1:
        raise OptionsError("-o/--output takes one format: pass -t with a single format")
    for key, flag in (("jobs", "-j/--jobs"), ("max_size", "--max-size")):
        if merged[key] < 0:
            raise OptionsError(f"{key} ({flag}) must be 0 or more, got {merged[key]}")
    if merged["errors"] not in ("strict", "replace"):
        raise OptionsError(f"errors must be strict or replace, got {merged['errors']!r}")
    if merged["pdfa"] is not None and merged["pdfa"] not in PDFA_LEVELS:
        raise OptionsError(
            f"pdfa (--pdfa) must be {' or '.join(PDFA_LEVELS)}, got {merged['pdfa']!r}"
        )
    if merged["encoding"]:
        _check_encoding(merged["encoding"])
    if merged["input_format"] not in (None, *INPUT_FORMATS):
        raise OptionsError(
            f"input_format (--from) must be {' or '.join(INPUT_FORMATS)}, "
            f"got {merged['input_format']!r}"
        )
    batch = BatchOptions(
        formats=formats,
        out_dir=Path(merged["out_dir"]),
        output=output,
        write=_write_options(merged),
        meta=tuple(sorted(merged["meta"].items())),
        encoding=merged["encoding"],
        errors=merged["errors"],
        max_bytes=merged["max_size"],
        jobs=merged["jobs"],
        force=merged["force"],
        fail_fast=merged["fail_fast"],
        glob=merged["glob"],
        input_format=merged["input_format"],
    )
    report = merged["report"]
    return Settings(batch, None if report is None else Path(report))


def _layer(
    values: Mapping[str, Any], allowed: tuple[str, ...], where: str, what: str
) -> dict[str, Any]:
    """One layer's given values, type-checked and in their normal form (None: not given)."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key not in allowed:
            raise OptionsError(f"{where}unknown {what} {key!r} (known: {', '.join(allowed)})")
        if value is None:
            continue
        kind = _TYPES[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise OptionsError(f"{where}{what} {key!r} has the wrong type ({type(value).__name__})")
        try:
            out[key] = _normal(key, value)
        except OptionsError as exc:
            raise OptionsError(f"{where}{exc}") from None
    return out


def _normal(key: str, value: Any) -> Any:
    if key == "formats":
        return _formats([value] if isinstance(value, str) else value)
    if key == "meta":
        return _meta(value)
    if key == "fonts":
        return _pairs(value, "--font")
    if key == "fallback_fonts":
        return tuple(_strings(value, key))
    if key in ("output", "reference_docx"):
        return str(value)
    return value


def _strings(values: Sequence[Any], key: str) -> list[str]:
    if not all(isinstance(v, str) for v in values):
        raise OptionsError(f"{key} takes text values only, got {list(values)!r}")
    return list(values)


def _formats(values: Sequence[Any]) -> tuple[str, ...]:
    """Format names from a list whose items may be comma lists: lower case, first one wins."""
    out: list[str] = []
    for item in _strings(values, "formats"):
        for part in item.split(","):
            part = part.strip().lower()
            if part and part not in out:
                out.append(part)
    return tuple(out) or DEFAULT_FORMATS


def _meta(value: Mapping[str, Any] | Sequence[str]) -> dict[str, str]:
    """Metadata overrides, from a table or from ``-M key=value`` pairs: the one place they are parsed."""
    from exporter.errors import InputError
    from exporter.reader import parse_meta_overrides

    table = isinstance(value, Mapping)  # a config file's [meta] or the API's meta={...}
    pairs = [f"{k}={v}" for k, v in value.items()] if isinstance(value, Mapping) else value
    try:
        return parse_meta_overrides(_strings(list(pairs), "meta"), "meta" if table else "-M")
    except InputError as exc:
        raise OptionsError(str(exc)) from None


def _pairs(value: Mapping[str, Any] | Sequence[str], flag: str) -> dict[str, str]:
    if isinstance(value, Mapping):
        return {str(k): str(v) for k, v in value.items()}
    out: dict[str, str] = {}
    for item in _strings(list(value), flag):
        key, sep, val = item.partition("=")
        if not sep or not key.strip():
            raise OptionsError(f"{flag} expects KEY=VALUE, got {item!r}")
        out[key.strip()] = val.strip()
    return out


def _output_formats(output: str | None, flagged: tuple[str, ...] | None) -> tuple[str, ...]:
    """The formats ``-o`` decides ("" for the others): its suffix's, unless -t names them.

    A suffix that names another format than -t's is an error, never a file of one format under
    another's name; a suffix no writer claims (``-o report.bin -t pdf``) is the user's choice.
    The config file's formats do not apply to ``-o``: its suffix says what to write.
    """
    if output is None or output == "-":
        return flagged or ()
    from exporter.writers import format_for_path

    inferred = format_for_path(output)
    if flagged is None:
        if inferred is None:
            raise OptionsError(f"cannot tell the format of {output!r}: pass -t")
        return (inferred,)
    if inferred is not None and len(flagged) == 1 and flagged[0] != inferred:
        raise OptionsError(
            f"-o {output}: the name says {inferred} but -t says {flagged[0]}; make them agree"
        )
    return flagged


def _check_encoding(encoding: str) -> None:
    from exporter.errors import InputError
    from exporter.reader.decoding import text_codec

    try:
        text_codec(encoding)
    except InputError as exc:
        raise OptionsError(str(exc)) from None


def _write_options(merged: Mapping[str, Any]) -> WriteOptions:
    try:
        profile = get_profile(merged["profile"])
    except KeyError as exc:
        raise OptionsError(str(exc.args[0])) from None
    fonts = dict(merged["fonts"])
    # A ``fallback`` entry among the role fonts is one more fallback font, after the listed ones.
    extra = [fonts.pop("fallback")] if "fallback" in fonts else []
    for role in fonts:
        if role not in ROLES:
            raise OptionsError(
                f"--font: unknown role {role!r} (roles: {', '.join(ROLES)}, fallback)"
            )
    return WriteOptions(
        profile=profile,
        fonts=MappingProxyType(fonts),
        fallback_fonts=(*merged["fallback_fonts"], *extra),
        system_fonts=merged["system_fonts"],
        embed_fonts=merged["embed_fonts"],
        strict=merged["strict"],
        chapter_pages=merged["chapter_pages"],
        toc=merged["toc"],
        pdfa=merged["pdfa"],
        reference_docx=merged["reference_docx"],
    )


def load_settings(overrides: Mapping[str, Any], folder: Path | None = None) -> Settings:
    """Settings from the config file in force for ``folder`` (see load_config) and ``overrides``."""
    from exporter.options.config import load_config

    config, path = load_config(folder)
    return build_settings(config, overrides, source=str(path or "config"))
