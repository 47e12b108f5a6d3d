"""Reading an upload: the body counted while it streams (413 past the limit, chunked or not)."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from urllib.parse import parse_qsl

from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request


class Refused(Exception):
    """The request cannot be taken: an HTTP status and a one-line reason."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


async def _limited(stream: AsyncIterator[bytes], limit: int) -> AsyncGenerator[bytes, None]:
    seen = 0
    async for chunk in stream:
        seen += len(chunk)
        if seen > limit:  # stop reading: nothing past the limit is parsed or spooled
            raise Refused(413, f"upload larger than {limit} bytes")
        yield chunk


async def read_form(request: Request, limit: int, max_files: int) -> FormData:
    """The form of ``request`` (multipart, or URL-encoded when no file is allowed); Refused
    (413) as soon as the body passes ``limit`` bytes or holds more than ``max_files`` files,
    whether it declares a length or is chunked."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise Refused(413, f"upload larger than {limit} bytes")
    kind = request.headers.get("content-type", "")
    if kind.startswith("application/x-www-form-urlencoded") and max_files == 0:
        body = b"".join([chunk async for chunk in _limited(request.stream(), limit)])
        try:
            pairs: list[tuple[str, str | UploadFile]] = list(
                parse_qsl(body.decode("utf-8"), keep_blank_values=True)
            )
        except UnicodeDecodeError:
            raise Refused(400, "malformed form: not UTF-8") from None
        return FormData(pairs)
    if not kind.startswith("multipart/form-data"):
        raise Refused(415, "expected a multipart/form-data upload")
    parser = MultiPartParser(
        request.headers,
        _limited(request.stream(), limit),
        max_files=max_files,
        max_fields=40,
        max_part_size=limit,
    )
    try:
        return await parser.parse()
    except MultiPartException as exc:
        if "Too many files" in str(exc):
            raise Refused(413, f"more than {max_files} files") from None
        raise Refused(400, f"malformed upload: {exc}") from None
