"""What a run is built from: read options, batch options and the settings that hold them."""

from __future__ import annotations

from dataclasses import field
from pathlib import Path

from exporter import __version__
from exporter.options import WriteOptions
from exporter.reader import DEFAULT_MAX_BYTES
from exporter.record import record

#: The formats written when neither the config file, the flags nor the caller name any.
DEFAULT_FORMATS: tuple[str, ...] = ("docx", "pdf", "epub")
#: The files taken from a folder when no --glob is given: plain text and Markdown (a comma
#: separates patterns).
DEFAULT_GLOB = "*.txt,*.md,*.markdown"


@record
class ReadOptions:
    """How input bytes become a Document: decoding, the size limit, metadata overrides and the
    input format (None: Markdown for .md/.markdown names, plain text for others)."""

    encoding: str | None = None
    errors: str = "strict"
    max_bytes: int = DEFAULT_MAX_BYTES
    meta: tuple[tuple[str, str], ...] = ()
    input_format: str | None = None


@record
class BatchOptions:
    """Everything a batch run needs; built by ``exporter.options.build.build_settings``."""

    formats: tuple[str, ...] = DEFAULT_FORMATS
    out_dir: Path = Path("output")
    output: str | None = None  # one input, one format: this path, or "-" for standard output
    write: WriteOptions = field(default_factory=WriteOptions)
    meta: tuple[tuple[str, str], ...] = ()
    encoding: str | None = None
    errors: str = "strict"
    max_bytes: int = DEFAULT_MAX_BYTES
    jobs: int = 0  # 0: one per CPU
    force: bool = False
    fail_fast: bool = False
    glob: str = DEFAULT_GLOB
    input_format: str | None = None  # "markdown" or "text"; None: by the file name's ending

    @property
    def read(self) -> ReadOptions:
        return ReadOptions(self.encoding, self.errors, self.max_bytes, self.meta, self.input_format)

    def fingerprint(self, fmt: str) -> str:
        """What, besides the input bytes, decides an output's bytes."""
        meta = ",".join(f"{k}={v}" for k, v in self.meta)
        forced = f"|{self.input_format}" if self.input_format else ""  # older keys stay valid
        return (
            f"{__version__}|{fmt}|{self.write.fingerprint()}|{meta}|{self.encoding}|{self.errors}"
            + forced
        )


@record
class Settings:
    """One run's options, whichever way they were given (config file, flags, API arguments)."""

    batch: BatchOptions = field(default_factory=BatchOptions)
    report: Path | None = None  # where to write the JSON report, if anywhere

    @property
    def write(self) -> WriteOptions:
        return self.batch.write

    @property
    def read(self) -> ReadOptions:
        return self.batch.read
