"""A real uvicorn server for the web tests: 127.0.0.1, a free port, stopped at the end."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

from exporter.web import ServeSettings, create_app


@contextmanager
def running(settings: ServeSettings) -> Iterator[tuple[str, Any]]:
    """Serve ``settings`` on 127.0.0.1 in a thread; yields the base URL and the Starlette app."""
    app = create_app(settings)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}", app.app
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()
