"""The Starlette application: the page, the upload and job endpoints, previews and downloads."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from exporter.web import work
from exporter.web.i18n import TEXT, language
from exporter.web.jobs import Job, JobStore, client_name
from exporter.web.pack import pack
from exporter.web.pool import Busy, Runner
from exporter.web.security import (
    CSRF_FIELD,
    CSRF_HEADER,
    SESSION_COOKIE,
    Csrf,
    Guard,
    cookies,
)
from exporter.web.settings import FORMATS, PROFILES, SUFFIXES, ServeSettings, is_loopback
from exporter.web.uploads import Refused, read_form

HERE = Path(__file__).parent
#: Seconds a client is told to wait when the queue is full (RFC 9110 §10.2.3 Retry-After).
RETRY_AFTER = 5
NO_STORE = {"cache-control": "no-store"}


class Server:
    """The state one application holds: settings, jobs, the worker pool, the CSRF key."""

    def __init__(self, settings: ServeSettings) -> None:
        self.settings = settings
        self.csrf = Csrf()
        self.store: JobStore | None = None
        self.runner: Runner | None = None
        self.tasks: set[asyncio.Task[None]] = set()
        self.templates = jinja2.Environment(
            loader=jinja2.FileSystemLoader(HERE / "templates"),
            autoescape=True,  # document text and file names are data: always escaped
            undefined=jinja2.StrictUndefined,
        )

    # --- lifespan ---------------------------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def lifespan(self, _app: Starlette) -> AsyncIterator[None]:
        self.store = JobStore(self.settings.job_ttl)
        self.runner = Runner(self.settings.workers, self.settings.queue_size)
        reaper = asyncio.create_task(self._reap())
        try:
            yield
        finally:
            reaper.cancel()
            for task in list(self.tasks):
                task.cancel()
            await asyncio.to_thread(self.runner.close)
            self.store.close()

    async def _reap(self) -> None:
        assert self.store is not None
        every = max(0.05, min(self.settings.job_ttl / 4, 30.0))
        while True:
            await asyncio.sleep(every)
            self.store.expire()

    # --- helpers ----------------------------------------------------------------------------------

    def session(self, request: Request) -> str:
        return cookies(request.scope).get(SESSION_COOKIE, "")

    def job(self, request: Request) -> Job:
        assert self.store is not None
        job = self.store.get(str(request.path_params["job"]), self.session(request))
        if job is None:
            raise Refused(404, "no such job (it may have expired)")
        return job

    def check_csrf(self, request: Request, given: str | None) -> None:
        if not self.csrf.valid(self.session(request), given or ""):
            raise Refused(403, "missing or wrong CSRF token: reload the page")
        origin = request.headers.get("origin")
        if origin and origin.split("://", 1)[-1] != request.headers.get("host", ""):
            raise Refused(403, "cross-origin request refused")

    # --- the page ---------------------------------------------------------------------------------

    async def index(self, request: Request) -> Response:
        lang = language(request.query_params.get("lang") or request.cookies.get("lang"))
        session = self.session(request) or self.csrf.new_session()
        s = self.settings
        html = self.templates.get_template("index.html").render(
            lang=lang,
            other="en" if lang == "zh-CN" else "zh-CN",
            t=TEXT[lang],
            csrf=self.csrf.token(session),
            profiles=PROFILES,
            formats=FORMATS,
            fields=work.FIELDS,
            accept=",".join(SUFFIXES),
            limits={"bytes": s.max_upload_bytes, "files": s.max_files},
        )
        response = HTMLResponse(html, headers=NO_STORE)
        response.set_cookie(SESSION_COOKIE, session, httponly=True, samesite="strict")
        if "lang" in request.query_params:
            response.set_cookie("lang", lang, httponly=True, samesite="strict")
        return response

    # --- the API ----------------------------------------------------------------------------------

    async def upload(self, request: Request) -> Response:
        """Store the files (and pasted text) of a new job and read each for the form."""
        assert self.store is not None and self.runner is not None
        header_token = request.headers.get(CSRF_HEADER)
        if header_token is not None:
            self.check_csrf(request, header_token)
        self.runner.reserve()  # before the body is read: a full queue costs the client nothing
        job = None
        try:
            form = await read_form(request, self.settings.max_upload_bytes, self.settings.max_files)
            try:
                if header_token is None:
                    self.check_csrf(request, _field(form.get(CSRF_FIELD)))
                lang = language(request.cookies.get("lang"))
                items = await self._uploaded(form, TEXT[lang]["pasted_name"])
            finally:
                await form.close()
            job = self.store.create(self.session(request))
            for name, suffix, data in items:
                self.store.add_input(job, name, suffix, data)
            problems = []
            for item in job.inputs:
                item.found = await self.runner.run(
                    work.analyse, str(item.path), item.name, self.settings.config
                )
                if "error" in item.found:
                    problems.append(item.found["error"])
            if problems:
                raise Refused(415, "; ".join(problems))
            job.state, job.touched = "new", time.monotonic()  # from now on it may expire
        except BaseException:
            if job is not None:
                self.store.remove(job)
            raise
        finally:
            self.runner.release()
        return JSONResponse(
            {
                "job": job.id,
                "inputs": [
                    {"index": i.index, "name": i.name, "title": i.found.get("title", "")}
                    for i in job.inputs
                ],
                "fields": job.inputs[0].found["fields"],
            },
            headers=NO_STORE,
        )

    async def _uploaded(self, form: Any, pasted_name: str) -> list[tuple[str, str, bytes]]:
        """(client name, suffix, bytes) of every file and of the pasted text, checked by name."""
        items = []
        for value in form.getlist("files"):
            if not isinstance(value, UploadFile):
                continue
            name = client_name(value.filename)
            if not name and not value.size:
                continue  # an empty file input
            suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
            if suffix not in SUFFIXES:
                raise Refused(415, f"{name or '?'}: not a text file (.txt, .md or .markdown)")
            items.append((name, suffix, await value.read()))
        text = _field(form.get("text"))
        if text.strip():
            items.append((pasted_name, ".txt", text.encode("utf-8")))
        if not items:
            raise Refused(400, "no file and no text was sent")
        if len(items) > self.settings.max_files:
            raise Refused(413, f"more than {self.settings.max_files} files")
        return items

    async def convert(self, request: Request) -> Response:
        """Start converting a job's inputs with the form's profile, formats and 公文 fields."""
        assert self.runner is not None
        job = self.job(request)
        header_token = request.headers.get(CSRF_HEADER)
        if header_token is not None:
            self.check_csrf(request, header_token)
        form = await read_form(request, 256 * 1024, 0)
        if header_token is None:
            self.check_csrf(request, _field(form.get(CSRF_FIELD)))
        profile = _field(form.get("profile")) or "standard"
        if profile not in PROFILES:
            raise Refused(400, f"unknown profile {profile!r}")
        formats = [f for f in FORMATS if f in {_field(v) for v in form.getlist("formats")}]
        if not formats:
            raise Refused(400, "choose at least one format")
        meta = self._meta(job, form, profile)
        if job.busy:
            raise Refused(409, "this job is already being converted")
        self.runner.reserve()
        job.state, job.stage, job.error = "queued", "", ""
        job.formats = formats
        job.steps_done, job.steps_total = 0, len(job.inputs)
        job.started, job.finished, job.zip_name, job.report = time.monotonic(), 0.0, "", None
        task = asyncio.create_task(self._run(job, profile, meta))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return JSONResponse(
            {"job": job.id, "status": f"/api/jobs/{job.id}"}, status_code=202, headers=NO_STORE
        )

    def _meta(self, job: Job, form: Any, profile: str) -> dict[str, str]:
        """The fields the clerk changed from what the reader found in the first input (``-M``
        pairs for every input); the other inputs keep their own. None for ``standard``."""
        if profile == "standard":
            return {}
        from exporter.errors import ExporterError
        from exporter.reader.meta import check_meta

        found = job.inputs[0].found.get("fields", {})
        meta = {}
        for key in work.FIELDS:
            value = _field(form.get(key)).strip()
            if value != found.get(key, ""):
                meta[key] = value
        try:
            check_meta(meta, "field")
        except ExporterError as exc:
            raise Refused(400, str(exc)) from None
        return meta

    async def _run(self, job: Job, profile: str, meta: dict[str, str]) -> None:
        assert self.runner is not None
        s = self.settings
        try:
            job.state = "running"
            made = sorted({*job.formats, "pdf"}, key=FORMATS.index)  # the PDF feeds the preview
            for item in job.inputs:
                job.current = item.index
                out, shown = item.folder / "out", item.folder / "preview"
                await asyncio.to_thread(_clear, out, shown)
                job.stage = "converting"
                job.bump()
                item.result = await self.runner.run(
                    work.convert, str(item.path), item.name, str(out), made, profile, meta, s.config
                )
                item.preview = item.result.get("pdf")
                if item.preview is not None:
                    shown.mkdir(mode=0o700)
                job.steps_done += 1
                job.bump()
            job.state = "done"
        except asyncio.CancelledError:
            job.state, job.error = "failed", "the server is shutting down"
            raise
        except Exception as exc:  # a worker that died, a full disk: the job fails, not the server
            job.state, job.error = "failed", f"{type(exc).__name__}: {exc}"
        finally:
            job.finished = time.monotonic()
            job.touched = time.monotonic()
            self.runner.release()
            job.bump()

    async def status(self, request: Request) -> Response:
        """The job's state and results; with ``?since=V`` (the ``version`` a previous answer
        gave) it waits up to 10 s for the next change instead of answering at once."""
        job = self.job(request)
        since = request.query_params.get("since", "")
        if since.isdigit() and int(since) == job.version and job.busy:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(job.changed.wait(), timeout=10)
        end = job.finished or time.monotonic()
        base = f"/jobs/{job.id}"
        inputs = []
        for item in job.inputs:
            res, prev = item.result or {}, item.preview or {}
            record = res.get("record") or {}
            files = res.get("files") or {}
            inputs.append(
                {
                    "index": item.index,
                    "name": item.name,
                    "title": item.found.get("title", ""),
                    "status": record.get("status", "failed" if "error" in res else ""),
                    "warnings": [w.get("message", "") for w in record.get("warnings", [])],
                    "errors": [e.get("message", "") for e in record.get("errors", [])]
                    + ([res["error"]] if "error" in res else []),
                    "pages": prev.get("pages", 0),
                    "rendered": min(prev.get("pages", 0), self.settings.preview_pages),
                    "outline": prev.get("outline", []),
                    "page_url": f"{base}/{item.index}/page/",
                    "downloads": {
                        fmt: f"{base}/{item.index}/{fmt}" for fmt in job.formats if fmt in files
                    }
                    if job.state == "done"
                    else {},
                }
            )
        body = {
            "job": job.id,
            "state": job.state,
            "version": job.version,
            "stage": job.stage,
            "current": job.current,
            "steps_done": job.steps_done,
            "steps_total": job.steps_total,
            "seconds": round(end - job.started, 2) if job.started else 0,
            "error": job.error,
            "inputs": inputs,
            "zip": f"{base}/all.zip" if job.state == "done" else "",
            "report": f"{base}/report.json" if job.state == "done" and len(job.inputs) > 1 else "",
        }
        return JSONResponse(body, headers=NO_STORE)

    async def ui_font(self, request: Request) -> Response:
        """The bundled Noto Sans CJK SC, the page's last font: a browser fetches it only when
        none of the system's Chinese fonts named before it in the style sheet is installed."""
        from importlib.resources import files

        path = Path(str(files("exporter._fonts") / "NotoSansCJKsc-Regular.ttf"))
        return FileResponse(
            path, media_type="font/ttf", headers={"cache-control": "public, max-age=86400"}
        )

    # --- files ------------------------------------------------------------------------------------

    async def page_image(self, request: Request) -> Response:
        """A preview page as PNG, rendered by a worker the first time it is asked for."""
        assert self.runner is not None
        job = self.job(request)
        item = _input(job, request)
        page = int(request.path_params["page"])
        pages = min((item.preview or {}).get("pages", 0), self.settings.preview_pages)
        files = (item.result or {}).get("files") or {}
        if job.busy or "pdf" not in files or not 1 <= page <= pages:
            raise Refused(404, "no such page")
        path = item.folder / "preview" / f"{page}.png"
        if not path.exists():
            pdf = item.folder / "out" / files["pdf"]
            await self.runner.run(
                work.render_page, str(pdf), page, self.settings.preview_scale, str(path)
            )
        return FileResponse(
            path, media_type="image/png", headers={"cache-control": "private, max-age=60"}
        )

    async def download(self, request: Request) -> Response:
        job = self.job(request)
        item = _input(job, request)
        fmt = str(request.path_params["fmt"])
        files = (item.result or {}).get("files") or {}
        if job.state != "done" or fmt not in job.formats or fmt not in files:
            raise Refused(404, "no such file")
        return _attachment(item.folder / "out" / files[fmt], f"{item.stem}.{fmt}")

    async def packed(self, job: Job) -> None:
        """Pack the job's zip and report the first time one is asked for (most clerks download
        one file and never pay for it)."""
        if job.state != "done":
            raise Refused(404, "no such file")
        async with job.packing:
            if not job.zip_name:
                job.zip_name, job.report = await asyncio.to_thread(pack, job)

    async def download_zip(self, request: Request) -> Response:
        job = self.job(request)
        await self.packed(job)
        name = job.inputs[0].stem if len(job.inputs) == 1 else "exporter"
        return _attachment(job.folder / job.zip_name, f"{name}.zip")

    async def report(self, request: Request) -> Response:
        job = self.job(request)
        await self.packed(job)
        if job.report is None:
            raise Refused(404, "no such file")
        body = json.dumps(job.report, ensure_ascii=False, indent=2).encode("utf-8")
        return Response(
            body,
            media_type="application/json",
            headers={"content-disposition": _disposition("report.json"), **NO_STORE},
        )


def _field(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _input(job: Job, request: Request) -> Any:
    index = int(request.path_params["index"])
    if not 1 <= index <= len(job.inputs):
        raise Refused(404, "no such file")
    return job.inputs[index - 1]


def _clear(*folders: Path) -> None:
    import shutil

    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def _disposition(name: str) -> str:
    """``attachment`` with an ASCII fallback and the UTF-8 name (RFC 6266 §4.3, RFC 8187)."""
    fallback = "".join(ch if (ch.isascii() and ch.isalnum()) or ch in "._-" else "_" for ch in name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def _attachment(path: Path, name: str) -> Response:
    return FileResponse(
        path,
        media_type=_MEDIA.get(name.rsplit(".", 1)[-1], "application/octet-stream"),
        headers={"content-disposition": _disposition(name), **NO_STORE},
    )


_MEDIA = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "epub": "application/epub+zip",
    "zip": "application/zip",
}


async def _refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Refused)
    headers = dict(NO_STORE)
    if exc.status == 413:  # the rest of the body is not read: the connection cannot be reused
        headers["connection"] = "close"
    return JSONResponse({"error": str(exc)}, status_code=exc.status, headers=headers)


async def _busy(request: Request, exc: Exception) -> Response:
    return JSONResponse(
        {"error": "busy: every worker is taken and the queue is full; try again"},
        status_code=503,
        headers={"retry-after": str(RETRY_AFTER), **NO_STORE},
    )


def create_app(settings: ServeSettings | None = None) -> Guard:
    """The ASGI application for ``settings``: the page behind the Host/token guard."""
    settings = settings or ServeSettings()
    if settings.token is None and not is_loopback(settings.host):
        raise ValueError(f"listening on {settings.host} needs an access token")
    if settings.token is not None and not re.fullmatch(r"[A-Za-z0-9._~-]{8,}", settings.token):
        raise ValueError("an access token is 8 or more letters, digits, '-', '_', '.' or '~'")
    server = Server(settings)
    routes = [
        Route("/", server.index, methods=["GET"]),
        Route("/api/jobs", server.upload, methods=["POST"]),
        Route("/api/jobs/{job}", server.status, methods=["GET"]),
        Route("/api/jobs/{job}/convert", server.convert, methods=["POST"]),
        Route("/jobs/{job}/all.zip", server.download_zip, methods=["GET"]),
        Route("/jobs/{job}/report.json", server.report, methods=["GET"]),
        Route("/jobs/{job}/{index:int}/page/{page:int}.png", server.page_image, methods=["GET"]),
        Route("/jobs/{job}/{index:int}/{fmt}", server.download, methods=["GET"]),
        Route("/fonts/sans.ttf", server.ui_font, methods=["GET"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(
        routes=routes,
        lifespan=server.lifespan,
        exception_handlers={Refused: _refused, Busy: _busy},
    )
    app.state.server = server
    return Guard(app, token=settings.token, loopback=settings.token is None)
