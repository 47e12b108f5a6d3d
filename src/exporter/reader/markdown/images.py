"""Images: a PNG or JPEG file beside the Markdown file is read into the document's resources;
nothing else is ever read (no URL, no absolute path, nothing outside the input's folder)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from exporter import diagnostics
from exporter.model import Resource

#: The largest image file read; a larger one keeps its alt text only.
MAX_IMAGE_BYTES = 20 * 1024 * 1024
#: Magic numbers -> media type: PNG (ISO/IEC 15948 §5.2 signature), JPEG (SOI then a marker).
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
# A URI scheme (RFC 3986 §3.1) or a network-path reference (//host/...).
_SCHEME = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.\-]*:|//)")


def media_type(data: bytes) -> str:
    """The media type the bytes' magic number says ("" when neither PNG nor JPEG)."""
    return next((kind for magic, kind in _MAGIC if data.startswith(magic)), "")


@dataclass
class Images:
    """The images of one document: ``base`` is the input's folder (None: read none)."""

    name: str
    base: Path | None
    resources: list[Resource] = field(default_factory=list)
    _ids: dict[Path, str] = field(default_factory=dict)

    def embed(self, src: str) -> str:
        """The resource id for the image at ``src`` (read once, img1, img2, … in order), or ""
        with a warning naming it when it is not read."""
        problem, path = self._locate(src)
        if path is not None and path in self._ids:
            return self._ids[path]
        data = b""
        if path is not None:
            data, problem = _load(path)
        kind = media_type(data)
        if path is not None and not problem and not kind:
            problem = "not a PNG or JPEG file"
        if problem or path is None:
            diagnostics.warn(
                "image-not-embedded",
                f"{self.name}: image {src!r} not embedded ({problem}); its alt text stays",
                src=src,
            )
            return ""
        rid = f"img{len(self.resources) + 1}"
        self.resources.append(Resource(rid, kind, data))
        self._ids[path] = rid
        return rid

    def _locate(self, src: str) -> tuple[str, Path | None]:
        """(why not, None) or ("", the file) for an image destination."""
        if not src:
            return "no path", None
        if _SCHEME.match(src):
            return "a URL or scheme: never fetched", None
        rel = unquote(src.split("#", 1)[0].split("?", 1)[0])
        if rel.startswith(("/", "\\")) or Path(rel).is_absolute():
            return "an absolute path", None
        if self.base is None:
            return "no folder to look in (the input is not a file)", None
        if Path(os.path.normpath(rel)).parts[:1] == ("..",):  # said outright, existing or not
            return "outside the input's folder", None
        base = self.base.resolve()
        try:
            path = (base / rel).resolve(strict=True)
        except (OSError, RuntimeError):
            return "no such file", None
        if not path.is_relative_to(base):  # .. or a symbolic link leading out
            return "outside the input's folder", None
        if not path.is_file():
            return "not a file", None
        return "", path


def _load(path: Path) -> tuple[bytes, str]:
    """The file's bytes, or (b"", why not) when too large or unreadable."""
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_IMAGE_BYTES + 1)
    except OSError as exc:
        return b"", f"cannot read: {exc.strerror}"
    if len(data) > MAX_IMAGE_BYTES:
        return b"", f"over {MAX_IMAGE_BYTES // (1024 * 1024)} MB"
    return data, ""
