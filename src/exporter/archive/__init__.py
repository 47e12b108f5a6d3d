"""BagIt packages (RFC 8493) for archives: the source as it was, its model, PDF/A, EPUB and DOCX."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from exporter import __version__
from exporter.batch.atomic import TMP_SUFFIX
from exporter.errors import ExporterError, WriterError
from exporter.model import DocNumber, Document, Signature, Title, block_texts
from exporter.options import WriteOptions
from exporter.options.settings import ReadOptions
from exporter.record import record
from exporter.writers._dates import source_date_epoch
from exporter.writers._provenance import source_file

#: The formats each bag holds besides the source and the model JSON.
FORMATS: tuple[str, ...] = ("pdf", "epub", "docx")
#: bag-info.txt field holding what decided the bag's bytes (inputs, options, version), so an
#: unchanged bag is not rebuilt.
KEY_FIELD = "Exporter-Key"


@record
class Source:
    """One input: the name it is stored under in the bag, and its bytes as they were read."""

    name: str
    data: bytes


@record
class BagResult:
    path: Path
    status: str  # "written" or "unchanged"


def bag_key(sources: Sequence[Source], options: WriteOptions, read: ReadOptions) -> str:
    """A hash of everything that decides a bag's payload."""
    h = hashlib.sha256(f"{__version__}|{options.fingerprint()}|{read}".encode())
    for src in sources:
        h.update(src.name.encode("utf-8", "surrogateescape") + b"\0")
        h.update(hashlib.sha256(src.data).digest())
    return h.hexdigest()


def _read(src: Source, read: ReadOptions) -> Document:
    from exporter.reader import read_bytes

    return read_bytes(
        src.data,
        name=src.name,
        encoding=read.encoding,
        errors=read.errors,
        meta=dict(read.meta),
        max_bytes=read.max_bytes,
        input_format=read.input_format,
    ).document


def _title(doc: Document) -> str:
    title = doc.meta.title or next(
        ("".join(block_texts(b)) for b in doc.blocks if isinstance(b, Title)), ""
    )
    return " ".join(title.split())


def _payload(folder: Path, src: Source, doc: Document, options: WriteOptions) -> None:
    """The source's bytes, the model JSON and each format, in ``folder``."""
    from exporter.model.serialize import dumps
    from exporter.writers import get_writer

    folder.mkdir(parents=True, exist_ok=True)
    (folder / src.name).write_bytes(src.data)
    stem = Path(src.name).stem or "document"
    (folder / f"{stem}.json").write_text(dumps(doc) + "\n", encoding="utf-8")
    with source_file(src.name, src.data):
        for fmt in FORMATS:
            writer = get_writer(fmt)
            with open(folder / f"{stem}{writer.extension}", "wb") as stream:
                writer.write(doc, options, stream)


def _issuer(doc: Document) -> str:
    """The issuing organisation: the metadata's source or publisher, else the signature's
    first signer (the sender, GB/T 9704-2012 §7.3.5)."""
    if doc.meta.source or doc.meta.publisher:
        return doc.meta.source or doc.meta.publisher
    signers = [b.signers for b in doc.blocks if isinstance(b, Signature) and b.signers]
    return signers[-1][0] if signers else ""


def _number(doc: Document) -> str:
    """The document number (发文字号): the metadata's, else a docnumber block's."""
    numbers = [b.text for b in doc.blocks if isinstance(b, DocNumber)]
    return doc.meta.document_number or (numbers[0] if numbers else "")


def _bag_info(docs: Sequence[Document], key: str, epoch: int | None) -> dict[str, str]:
    """bag-info.txt (RFC 8493 §2.2.2): only what the documents say, never an invented fact."""

    def field(values: list[str]) -> str:
        return "; ".join(dict.fromkeys(v for v in values if v))  # distinct, in order

    info = {
        "Source-Organization": field([_issuer(d) for d in docs]),
        "External-Identifier": field([_number(d) for d in docs]),
        "External-Description": field([_title(d) for d in docs]),
    }
    info = {k: " ".join(v.split()) for k, v in info.items() if v}
    when = datetime.fromtimestamp(epoch, tz=UTC) if epoch is not None else datetime.now(UTC)
    info["Bagging-Date"] = when.strftime("%Y-%m-%d")  # the day the bag was made
    info["Bag-Software-Agent"] = f"exporter {__version__}"
    info[KEY_FIELD] = key
    return info


def _existing_key(bag: Path) -> str | None:
    try:
        text = (bag / "bag-info.txt").read_text("utf-8")
    except OSError:
        return None
    for line in text.splitlines():
        name, sep, value = line.partition(":")
        if sep and name.strip() == KEY_FIELD:
            return value.strip()
    return None


def make_bag(
    target: Path,
    sources: Sequence[Source],
    options: WriteOptions,
    read: ReadOptions,
    *,
    force: bool = False,
) -> BagResult:
    """Build one bag at ``target`` holding ``sources`` (each in a folder of its own when there
    are several); atomic (built beside it, then renamed) and skipped when up to date."""
    import bagit

    options = replace(options, pdfa=options.pdfa or "3b")
    key = bag_key(sources, options, read)
    if not force and _existing_key(target) == key:
        with contextlib.suppress(bagit.BagError, OSError):
            bagit.Bag(str(target)).validate(fast=True)
            return BagResult(target, "unchanged")
    docs = [_read(src, read) for src in sources]
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(
        tempfile.mkdtemp(
            prefix=f".{target.name}.{os.getpid()}.", suffix=TMP_SUFFIX, dir=target.parent
        )
    )
    try:
        for src, doc in zip(sources, docs, strict=True):
            folder = tmp if len(sources) == 1 else tmp / (Path(src.name).stem or "document")
            _payload(folder, src, doc, options)
        epoch = source_date_epoch(options.source_date_epoch)
        try:
            bagit.make_bag(str(tmp), bag_info=_bag_info(docs, key, epoch), checksums=["sha256"])
        except (bagit.BagError, OSError) as exc:
            raise WriterError(f"cannot make the bag {target}: {exc}") from None
        _declare_rfc8493(tmp)
        os.chmod(tmp, 0o755)
        _swap(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return BagResult(target, "written")


def _declare_rfc8493(bag: Path) -> None:
    """bagit.py writes BagIt-Version 0.97; RFC 8493 §2.1.1 says 1.0 (the layout is the same).
    The tag manifest is written again over the new bagit.txt."""
    (bag / "bagit.txt").write_bytes(b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
    lines = [
        f"{hashlib.sha256((bag / name).read_bytes()).hexdigest()}  {name}\n"
        for name in ("bag-info.txt", "bagit.txt", "manifest-sha256.txt")
    ]
    (bag / "tagmanifest-sha256.txt").write_text("".join(lines), encoding="utf-8")


def remove_stray_bags(folder: Path) -> None:
    """Remove half-built bags (temporary folders) that dead runs left in ``folder``."""
    from exporter.batch.atomic import temporary_owner
    from exporter.batch.lock import pid_alive

    if not folder.is_dir():
        return
    for stray in folder.glob(".*" + TMP_SUFFIX):
        owner = temporary_owner(stray.name)
        if stray.is_dir() and not (owner is not None and pid_alive(owner)):
            shutil.rmtree(stray, ignore_errors=True)


def _swap(new: Path, target: Path) -> None:
    """Put the finished bag ``new`` at ``target``: the old bag, if any, is moved aside first
    and removed after, so ``target`` is always a complete bag or absent."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise WriterError(f"cannot write the bag {target}: it exists and is not a folder")
    old: Path | None = None
    if target.exists():
        old = Path(
            tempfile.mkdtemp(
                prefix=f".{target.name}.{os.getpid()}.", suffix=TMP_SUFFIX, dir=target.parent
            )
        )
        os.rename(target, old / "bag")
    try:
        os.rename(new, target)
    except OSError:
        if old is not None:
            os.rename(old / "bag", target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


__all__ = [
    "FORMATS",
    "BagResult",
    "ExporterError",
    "Source",
    "bag_key",
    "make_bag",
    "remove_stray_bags",
]
