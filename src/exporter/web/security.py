"""Who may use the server: Host and access-token checks, the session and CSRF tokens, and the
security headers every response carries."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlencode

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

TOKEN_COOKIE = "exporter_token"
SESSION_COOKIE = "exporter_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf"

#: Every asset is served from this origin: no CDN, no inline script or style (CSP Level 3).
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]", "::1")


def cookies(scope: Scope) -> dict[str, str]:
    """The request's cookies by name."""
    jar: SimpleCookie = SimpleCookie()
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header: as if there were none
                return {}
    return {k: m.value for k, m in jar.items()}


def header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return ""


class Guard:
    """ASGI middleware: the Host check (DNS rebinding), the access token, the headers."""

    def __init__(self, app: ASGIApp, *, token: str | None, loopback: bool) -> None:
        self.app, self.token, self.loopback = app, token, loopback

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in HEADERS if k not in names]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        if self.loopback and not self._loopback_host(header(scope, b"host")):
            # A page elsewhere that rebinds its name to 127.0.0.1 sends its own Host.
            await plain(send_with_headers, 421, "Misdirected request: open http://127.0.0.1/")
            return
        if self.token is not None:
            given = self._token(scope)
            if given is None or not hmac.compare_digest(given.encode(), self.token.encode()):
                await plain(
                    send_with_headers,
                    401,
                    "An access token is required (see the URL the server printed).",
                )
                return
            query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
            if "token" in query and scope["method"] == "GET":
                # Keep the token out of the address bar and history: a cookie from now on.
                query.pop("token")
                location = scope["path"] + ("?" + urlencode(query) if query else "")
                cookie = f"{TOKEN_COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict"
                await send_with_headers(
                    {
                        "type": "http.response.start",
                        "status": 303,
                        "headers": [
                            (b"location", location.encode("utf-8")),
                            (b"set-cookie", cookie.encode("latin-1")),
                            (b"content-length", b"0"),
                        ],
                    }
                )
                await send_with_headers({"type": "http.response.body", "body": b""})
                return
        await self.app(scope, receive, send_with_headers)

    def _loopback_host(self, host: str) -> bool:
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        return name in LOOPBACK_NAMES

    def _token(self, scope: Scope) -> str | None:
        auth = header(scope, b"authorization")
        if auth.lower().startswith("bearer "):
            return auth[7:].strip()
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        if "token" in query:
            return str(query["token"])
        found = cookies(scope).get(TOKEN_COOKIE)
        return None if found is None else str(found)


async def plain(send: Send, status: int, text: str) -> None:
    body = text.encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class Csrf:
    """CSRF tokens bound to the browser session: an HMAC of the session id under a key that
    lives as long as the server (OWASP's synchronizer-token pattern, stateless)."""

    def __init__(self) -> None:
        self.key = secrets.token_bytes(32)

    def new_session(self) -> str:
        return secrets.token_urlsafe(24)

    def token(self, session: str) -> str:
        return hmac.new(self.key, session.encode(), hashlib.sha256).hexdigest()

    def valid(self, session: str, given: str) -> bool:
        return bool(session) and hmac.compare_digest(self.token(session), given)
