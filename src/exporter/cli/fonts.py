"""The ``exporter fonts`` command: list the resolved fonts, or check a document's coverage."""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import TextIO

from exporter.fonts import (
    Face,
    FontSet,
    bundled_dir,
    charset,
    check_document,
    fontset_for,
    system_faces,
)
from exporter.model import Metadata
from exporter.options import WriteOptions

CHARSETS = (("GB2312", "gb2312"), ("GBK", "gbk"), ("Big5", "big5"))


def _where(face: Face) -> str:
    if face.bundled_key:
        return f"bundled {face.file.path.name}"
    return str(face.file)


def _coverage(face: Face) -> str:
    parts = []
    for label, name in CHARSETS:
        wanted = charset(name)
        parts.append(f"{label} {face.coverage(wanted)}/{len(wanted)}")
    return ", ".join(parts)


def _list(fontset: FontSet, out: TextIO) -> None:
    profile = fontset.profile
    out.write(
        f"profile {profile.name}; language {fontset.language}; bundled fonts in {bundled_dir()}\n"
    )
    for role in profile.roles:
        face = fontset.face(role)
        families = " / ".join(fontset.families(role)[:2])
        out.write(f"{role}: {_where(face)} ({face.full_name}) for {families}\n")
        choice = fontset.choices.get(role)
        if choice is not None and (choice.folder is not None or choice.installed):
            out.write(f"    {choice.reason()}\n")
        out.write(f"    licence: {face.licence}; coverage: {_coverage(face)}\n")
        if face.deferred:
            marks = " ".join(chr(cp) for cp in sorted(face.deferred))
            out.write(
                f"    {marks}: from the fallback chain (narrow in this face; full width wanted)\n"
            )
        note = profile.substitutions.get(role)
        if note and face.bundled_key:
            out.write(f"    stand-in: {note}\n")
    out.write("fallback chain:\n")
    for face in fontset.fallbacks:
        out.write(f"    {_where(face)} ({face.full_name}; {face.licence})\n")
    if fontset.options.system_fonts:
        count = len(system_faces())
        source = "fontconfig" if count else "none found (no fontconfig or no fonts)"
        out.write(f"    then system fonts: {count} face(s) from {source}\n")
    else:
        out.write("    system fonts: off\n")


def _source_text(path: Path) -> str | None:
    """The decoded text of ``path`` for line numbers (None when it cannot be decoded)."""
    data = path.read_bytes()
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(encoding, "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return None if best is None else str(best)


def fonts_command(
    options: WriteOptions, check: Path | None, out: TextIO, language: str | None = None
) -> int:
    """Run ``exporter fonts``; returns the exit code.

    Without ``check``: list each role's resolved font file, family, licence and coverage of
    GB2312, GBK and Big5, then the fallback chain; exit 0. With ``check``: read that document and
    list every character that no font (role face, fallback chain, system fonts) covers, as
    ``U+20000 𠀀 at line 12``; exit 1 when there is any, 0 when every character is covered.
    A font folder is searched for the face made for ``language`` (a BCP 47 tag; default: the
    checked document's language, else zh-CN, the default of every document); with ``check``
    each role a folder gave is listed first, with why.
    Font and input errors raise ExporterError subclasses (the CLI turns them into messages).
    """
    if check is None:
        _list(fontset_for(options, language or Metadata().language), out)
        return 0
    from exporter.reader import read_file

    doc = read_file(check)
    fontset = fontset_for(options, language or doc.meta.language)
    for role, choice in fontset.choices.items():
        if choice.folder is not None or choice.installed:
            out.write(f"{role}: {choice.file} ({choice.reason()})\n")
    missing = check_document(doc, fontset, _source_text(check))
    if not missing:
        out.write(f"{check}: every character is covered by the {fontset.profile.name} fonts\n")
        return 0
    out.write(f"{check}: {len(missing)} character(s) no font covers:\n")
    for item in missing:
        times = f" ({item.count} times)" if item.count > 1 else ""
        out.write(f"  {item}{times}\n")
    return 1


__all__ = ["fonts_command"]
