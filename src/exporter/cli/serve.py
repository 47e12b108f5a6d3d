"""``exporter serve``: the web page for clerks (the web stack is imported only by this command)."""

from __future__ import annotations

import re
from typing import Annotated

import typer

from exporter.cli.common import fail

#: An access token: URL- and cookie-safe characters (RFC 3986 unreserved), 8 at least.
TOKEN = re.compile(r"[A-Za-z0-9._~-]{8,}")


def serve(
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (not loopback: a token is needed).")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", help="Port to listen on (0: any free one).")
    ] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            "--token", help="Access token; generated and printed when the address is not loopback."
        ),
    ] = None,
    max_upload_mb: Annotated[
        int, typer.Option("--max-upload-mb", help="Largest upload (all files together), in MiB.")
    ] = 32,
    max_files: Annotated[int, typer.Option("--max-files", help="Most files in one upload.")] = 20,
    workers: Annotated[int, typer.Option("--workers", help="Conversion processes.")] = 2,
    queue: Annotated[
        int, typer.Option("--queue", help="Jobs that may wait for a worker before 503.")
    ] = 8,
    keep_minutes: Annotated[
        float, typer.Option("--keep-minutes", help="Minutes a job's files are kept after use.")
    ] = 30.0,
) -> None:
    """Serve the web page for clerks: drop text files, preview the PDF, download."""
    import secrets

    from exporter.errors import ExporterError
    from exporter.options.config import load_config

    try:
        config, _ = load_config()
        from exporter.options.build import build_settings

        build_settings(config, {}, source="config")  # a bad config file: refused now, not per job
    except ExporterError as exc:
        raise fail(str(exc)) from None
    for name, value in (("--max-upload-mb", max_upload_mb), ("--max-files", max_files)):
        if value < 1:
            raise fail(f"{name} must be at least 1")
    if workers < 1 or queue < 0 or keep_minutes <= 0:
        raise fail("--workers must be at least 1, --queue 0 or more, --keep-minutes above 0")
    from exporter.web.settings import ServeSettings, is_loopback

    if token is None and not is_loopback(host):
        token = secrets.token_urlsafe(18)
    if token is not None and not TOKEN.fullmatch(token):
        raise fail("--token must be 8 or more letters, digits, '-', '_', '.' or '~'")
    settings = ServeSettings(
        host=host,
        port=port,
        token=token,
        max_upload_bytes=max_upload_mb * 1024 * 1024,
        max_files=max_files,
        workers=workers,
        queue_size=queue,
        job_ttl=keep_minutes * 60,
        config=config,
    )
    _run(settings)


def _run(settings: object) -> None:
    import socket

    import uvicorn

    from exporter.web import create_app
    from exporter.web.settings import ServeSettings

    assert isinstance(settings, ServeSettings)
    family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((settings.host, settings.port))
        sock.listen(2048)  # connections wait in the backlog until the server has started
    except OSError as exc:
        raise fail(f"cannot listen on {settings.host}:{settings.port}: {exc.strerror}") from None
    port = sock.getsockname()[1]
    shown = f"[{settings.host}]" if ":" in settings.host else settings.host
    url = f"http://{shown}:{port}/"
    if settings.token is not None:
        url += f"?token={settings.token}"
    typer.echo(f"exporter serve: open {url}  (Ctrl+C stops)", err=True)
    config = uvicorn.Config(
        create_app(settings),
        log_level="warning",
        access_log=False,
        server_header=False,
        timeout_graceful_shutdown=10,
        h11_max_incomplete_event_size=64 * 1024,
    )
    uvicorn.Server(config).run(sockets=[sock])
