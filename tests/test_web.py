"""``exporter serve`` at the HTTP level: the page, a conversion, and every limit and refusal."""

from __future__ import annotations

import io
import json
import os
import re
import socket
import stat
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pypdf
import pytest
from PIL import Image
from starlette.testclient import TestClient

from exporter.api import read_data
from exporter.errors import ExporterError
from exporter.web import ServeSettings, create_app
from exporter.web.jobs import OWNER, PREFIX, JobStore
from tests.webserver import running

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "news_xinhua_poverty_symposium_2020.txt"
NOTICE = ROOT / "tests" / "fixtures" / "official" / "full_notice.txt"
BASE = "http://127.0.0.1:8000"
LIMIT = 256 * 1024


def settings(**changes: Any) -> ServeSettings:
    base: dict[str, Any] = {"max_upload_bytes": LIMIT, "max_files": 3, "workers": 1}
    return ServeSettings(**{**base, **changes})


def client_for(app: Any) -> TestClient:
    return TestClient(app, base_url=BASE)


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[TestClient, Any]]:
    """One server for the tests that do not need their own settings."""
    app = create_app(settings())
    with client_for(app) as client:
        yield client, app.app.state.server


@pytest.fixture
def client(served: tuple[TestClient, Any]) -> TestClient:
    client = served[0]
    client.cookies.clear()
    return client


def open_page(client: TestClient) -> str:
    """GET the page (which sets the session cookie); its CSRF token."""
    response = client.get("/")
    assert response.status_code == 200
    match = re.search(r'<meta name="csrf-token" content="([0-9a-f]{64})">', response.text)
    assert match is not None
    return match.group(1)


def upload(
    client: TestClient, token: str | None, files: list[tuple[str, bytes]], **data: str
) -> Any:
    """POST files (and form fields) to /api/jobs, with ``token`` as the CSRF header."""
    headers = {"x-csrf-token": token} if token is not None else {}
    return client.post(
        "/api/jobs",
        files=[("files", (name, body, "text/plain")) for name, body in files],
        data=data,
        headers=headers,
    )


def convert(client: TestClient, csrf: str, job: str, **form: Any) -> dict[str, Any]:
    """Start a conversion and poll its status until it ends; the final status."""
    response = client.post(f"/api/jobs/{job}/convert", data=form, headers={"x-csrf-token": csrf})
    assert response.status_code == 202, response.text
    deadline = time.monotonic() + 120
    query, version = "", -1
    while time.monotonic() < deadline:
        status = client.get(f"/api/jobs/{job}{query}").json()
        if status["state"] in ("done", "failed"):
            return dict(status)
        # a long poll answers at the next change (or after 10 s): never the same version twice
        # in a row unless it timed out
        assert status["version"] > version or status["seconds"] >= 10
        version = status["version"]
        query = f"?since={version}"
    raise AssertionError("the conversion did not end")


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def jobs_on_disk(root: Path) -> list[Path]:
    """What the root holds besides the file naming its server process."""
    return [p for p in root.iterdir() if p.name != OWNER]


# --- the page -----------------------------------------------------------------------------------


def test_page_is_chinese_local_and_sends_csp(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="zh-CN">' in response.text
    assert "生成预览" in response.text and "发文字号" in response.text
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    # every asset from this server: no absolute URL to another host, no inline script
    assert not re.search(r'(src|href)="(https?:)?//', response.text)
    assert not re.search(r"<script>(?!\s*$)", response.text)
    for asset in re.findall(r'(?:src|href)="(/[^"?]+)"', response.text):
        got = client.get(asset)
        assert got.status_code == 200, asset
        assert "content-security-policy" in got.headers
    english = client.get("/?lang=en")
    assert '<html lang="en">' in english.text and "Make the preview" in english.text


# --- a conversion -------------------------------------------------------------------------------


def test_upload_prefills_the_gongwen_fields_from_the_reader(client: TestClient) -> None:
    csrf = open_page(client)
    response = upload(client, csrf, [("通知.txt", NOTICE.read_bytes())])
    assert response.status_code == 200, response.text
    body = response.json()
    fields = body["fields"]
    assert fields["发文机关"] == "某某市人民政府文件"
    assert fields["发文字号"] == "某府发〔2024〕12号"
    assert fields["密级"] == "机密★1年"
    assert fields["紧急程度"] == "特急"
    assert fields["印发机关"] == "某某市人民政府办公室"
    assert fields["附注"] == "（此件公开发布）"
    assert body["inputs"] == [
        {
            "index": 1,
            "name": "通知.txt",
            "title": "某某市人民政府关于做好2024年春节期间安全生产工作的通知",
        }
    ]


def test_gongwen_conversion_preview_and_downloads(client: TestClient) -> None:
    csrf = open_page(client)
    job = upload(client, csrf, [("通知.txt", NOTICE.read_bytes())]).json()["job"]
    status = convert(
        client,
        csrf,
        job,
        profile="gongwen",
        formats=["pdf", "docx"],
        发文字号="某府发〔2025〕7号",  # changed by the clerk
        发文机关="某某市人民政府文件",  # as found: the file's own value is kept
    )
    assert status["state"] == "done", status
    item = status["inputs"][0]
    assert item["status"] == "converted" and not item["errors"]
    assert set(item["downloads"]) == {"pdf", "docx"}
    assert item["rendered"] == item["pages"] >= 1
    assert item["outline"][0]["title"].startswith("某某市人民政府关于")
    # a stand-in for the commercial 方正小标宋 is a warning the clerk must see
    assert any("stands in" in w for w in item["warnings"])

    pdf = client.get(item["downloads"]["pdf"])
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    disposition = pdf.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    encoded = re.search(r"filename\*=UTF-8''(\S+)", disposition)
    assert encoded is not None and unquote(encoded.group(1)) == "通知.pdf"
    pages = pypdf.PdfReader(io.BytesIO(pdf.content)).pages
    # the typesetter's half cell beside a number reads as a space in the text layer
    text = re.sub(r"\s", "", "".join(p.extract_text() for p in pages))
    assert "某府发〔2025〕7号" in text and "某府发〔2024〕12号" not in text
    assert "某某市人民政府文件" in text

    png = client.get(f"{item['page_url']}1.png")
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(png.content))
    image.load()
    assert image.size[0] > 600 and image.size[1] > image.size[0]  # an A4 page, portrait
    assert len(image.getcolors(1 << 24) or []) > 2  # ink, not a blank page
    rgb = image.convert("RGB").tobytes()
    red = sum(
        1 for i in range(0, len(rgb), 3) if rgb[i] > 150 and rgb[i + 1] < 80 and rgb[i + 2] < 80
    )
    assert red > 100  # the red masthead and line

    docx = client.get(item["downloads"]["docx"])
    with zipfile.ZipFile(io.BytesIO(docx.content)) as zf:
        assert "某府发〔2025〕7号" in zf.read("word/document.xml").decode("utf-8")

    # the EPUB was not asked for: not offered, and its URL is 404
    assert client.get(f"/jobs/{job}/1/epub").status_code == 404
    single = client.get(status["zip"])
    with zipfile.ZipFile(io.BytesIO(single.content)) as zf:
        assert sorted(zf.namelist()) == ["通知.docx", "通知.pdf"]


def test_several_files_give_a_zip_with_the_json_report(client: TestClient) -> None:
    csrf = open_page(client)
    inputs = [
        ("新闻.txt", SAMPLE.read_bytes()),
        ("新闻.md", b"# \xe6\xa0\x87\xe9\xa2\x98\n\n\xe6\xad\xa3\xe6\x96\x87\n"),
    ]
    job = upload(client, csrf, inputs, text="粘贴的一段文字。").json()["job"]
    status = convert(client, csrf, job, profile="standard", formats=["epub"])
    assert status["state"] == "done", status
    assert [i["name"] for i in status["inputs"]] == ["新闻.txt", "新闻.md", "粘贴的文字.txt"]
    archive = client.get(status["zip"])
    assert archive.headers["content-disposition"].endswith("exporter.zip")
    with zipfile.ZipFile(io.BytesIO(archive.content)) as zf:
        names = sorted(zf.namelist())
        assert names == ["report.json", "新闻-2.epub", "新闻.epub", "粘贴的文字.epub"]
        report = json.loads(zf.read("report.json"))
    assert report["schema"] == "exporter.report/1" and report["exit_code"] == 0
    assert [r["input"] for r in report["inputs"]] == ["新闻.txt", "新闻.md", "粘贴的文字.txt"]
    assert [o["path"] for r in report["inputs"] for o in r["outputs"]] == [
        "新闻.epub",
        "新闻-2.epub",
        "粘贴的文字.epub",
    ]
    assert report["totals"]["converted"] == 3
    assert "exporter-serve-" not in json.dumps(report)  # no server path leaks
    assert client.get(status["report"]).json() == report


# --- refusals -----------------------------------------------------------------------------------


def test_oversize_upload_is_413_and_stores_nothing(served: tuple[TestClient, Any]) -> None:
    client, server = served
    csrf = open_page(client)
    before = set(server.store.jobs)
    response = upload(client, csrf, [("大.txt", "字".encode() * (LIMIT // 3 + 10))])
    assert response.status_code == 413
    assert set(server.store.jobs) == before


def test_chunked_oversize_upload_is_413_before_the_body_ends() -> None:
    """A body without Content-Length is counted as it streams: the server answers 413 and stops
    reading long before the client has sent it all."""
    limit = 64 * 1024
    with running(settings(max_upload_bytes=limit)) as (url, app):
        server = app.state.server
        port = int(url.rsplit(":", 1)[1])
        session = server.csrf.new_session()
        boundary = "b0undary"
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
            f'filename="big.txt"\r\nContent-Type: text/plain\r\n\r\n'
        ).encode()
        request = (
            "POST /api/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
            "Transfer-Encoding: chunked\r\n"
            f"Cookie: exporter_session={session}\r\n"
            f"X-CSRF-Token: {server.csrf.token(session)}\r\n\r\n"
        ).encode()
        total = 64 * 1024 * 1024
        chunk = b"a" * 16384
        sent = 0
        with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
            sock.sendall(request + b"%x\r\n%s\r\n" % (len(head), head))
            try:
                while sent < total:
                    sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    sent += len(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server answered and closed: it did not read the rest
            reply = b""
            try:
                while b"\r\n\r\n" not in reply:
                    part = sock.recv(4096)
                    if not part:
                        break
                    reply += part
            except ConnectionResetError:
                pass
        assert reply.startswith(b"HTTP/1.1 413"), reply[:200]
        assert sent < total
        assert server.store.jobs == {} and jobs_on_disk(server.store.root) == []


def test_too_many_files_is_413(client: TestClient) -> None:
    csrf = open_page(client)
    response = upload(client, csrf, [(f"{i}.txt", "正文。".encode()) for i in range(4)])
    assert response.status_code == 413
    assert "3" in response.json()["error"]


def test_wrong_type_is_refused_with_the_readers_message(client: TestClient) -> None:
    csrf = open_page(client)
    by_name = upload(client, csrf, [("报告.pdf", b"%PDF-1.7\n")])
    assert by_name.status_code == 415
    assert "报告.pdf" in by_name.json()["error"]
    binary = bytes(range(256)) * 8
    with pytest.raises(ExporterError) as reader:
        read_data(binary, name="图片.txt")
    by_content = upload(client, csrf, [("图片.txt", binary)])
    assert by_content.status_code == 415
    message = by_content.json()["error"]
    assert message == str(reader.value)  # the reader's one-line message, naming the client's file
    assert "exporter-serve-" not in message


def test_client_file_names_are_never_paths(served: tuple[TestClient, Any]) -> None:
    client, server = served
    csrf = open_page(client)
    response = upload(client, csrf, [("../../逃逸.txt", "正文。".encode())])
    assert response.status_code == 200
    job = response.json()["job"]
    assert response.json()["inputs"][0]["name"] == "逃逸.txt"
    stored = files_under(server.store.root / job)
    assert [p.relative_to(server.store.root / job).as_posix() for p in stored] == ["1/input.txt"]
    assert not any("逃逸" in p.name for p in files_under(server.store.root))
    # Nor beside the store. Its parent is the system's temporary folder, which other tests
    # fill and empty meanwhile: only its own entries' names are read, not a walk below them.
    assert not any("逃逸" in p.name for p in server.store.root.parent.iterdir())


def test_job_folders_are_private(served: tuple[TestClient, Any]) -> None:
    client, server = served
    csrf = open_page(client)
    job = upload(client, csrf, [("a.txt", "正文。".encode())]).json()["job"]
    for folder in (server.store.root, server.store.root / job, server.store.root / job / "1"):
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700, folder


@pytest.mark.parametrize(
    "url",
    [
        "/nothing",
        "/static/../pyproject.toml",
        "/static/%2e%2e/app.py",
        "/static/..%2f..%2fjobs.py",
        "/static/%2e%2e%2f%2e%2e%2fcli%2fserve.py",
        "/jobs/..%2f..%2fetc%2fpasswd/1/pdf",
        "/jobs/AAAAAAAAAAAAAAAAAAAAAA/1/pdf",
        "/jobs/AAAAAAAAAAAAAAAAAAAAAA/all.zip",
        "/api/jobs/../../etc/passwd",
        "/fonts/../../pyproject.toml",
    ],
)
def test_unknown_and_traversing_urls_are_404(client: TestClient, url: str) -> None:
    open_page(client)
    response = client.get(url)
    assert response.status_code == 404, (url, response.status_code)


def test_a_job_belongs_to_its_session(client: TestClient) -> None:
    csrf = open_page(client)
    job = upload(client, csrf, [("a.txt", "正文。".encode())]).json()["job"]
    assert client.get(f"/api/jobs/{job}").status_code == 200
    client.cookies.clear()
    open_page(client)  # another browser: another session
    assert client.get(f"/api/jobs/{job}").status_code == 404


def test_csrf_is_required(client: TestClient) -> None:
    csrf = open_page(client)
    body = [("a.txt", "正文。".encode())]
    assert upload(client, None, body).status_code == 403  # no token at all
    assert upload(client, "0" * 64, body).status_code == 403  # a wrong one
    form_token = upload(client, None, body, csrf=csrf)  # in the form instead of the header
    assert form_token.status_code == 200
    job = form_token.json()["job"]
    no_token = client.post(f"/api/jobs/{job}/convert", data={"formats": "pdf"})
    assert no_token.status_code == 403
    cross = client.post(
        "/api/jobs",
        files=[("files", ("a.txt", b"x"))],
        headers={"x-csrf-token": csrf, "origin": "http://evil.example"},
    )
    assert cross.status_code == 403
    client.cookies.clear()
    open_page(client)  # a token from another session is refused
    assert upload(client, csrf, body).status_code == 403


def test_bad_field_value_is_400(client: TestClient) -> None:
    csrf = open_page(client)
    job = upload(client, csrf, [("a.txt", "正文。".encode())]).json()["job"]
    response = client.post(
        f"/api/jobs/{job}/convert",
        data={"profile": "gongwen", "formats": "pdf", "份号": "abc"},
        headers={"x-csrf-token": csrf},
    )
    assert response.status_code == 400 and "份号" in response.json()["error"]
    unknown = client.post(
        f"/api/jobs/{job}/convert",
        data={"profile": "../etc", "formats": "pdf"},
        headers={"x-csrf-token": csrf},
    )
    assert unknown.status_code == 400


def test_foreign_host_header_is_refused_on_loopback(client: TestClient) -> None:
    # DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends its own Host
    assert client.get("/", headers={"host": "evil.example"}).status_code == 421
    assert client.get("/", headers={"host": "localhost:8000"}).status_code == 200


def test_full_queue_answers_503_with_retry_after(served: tuple[TestClient, Any]) -> None:
    client, server = served
    csrf = open_page(client)
    taken = server.runner.capacity - server.runner.held
    for _ in range(taken):
        server.runner.reserve()
    try:
        response = upload(client, csrf, [("a.txt", "正文。".encode())])
    finally:
        for _ in range(taken):
            server.runner.release()
    assert response.status_code == 503
    assert int(response.headers["retry-after"]) > 0
    assert upload(client, csrf, [("a.txt", "正文。".encode())]).status_code == 200


# --- who may use it -----------------------------------------------------------------------------


def test_other_addresses_need_a_token() -> None:
    with pytest.raises(ValueError, match="token"):
        create_app(ServeSettings(host="0.0.0.0"))
    with pytest.raises(ValueError, match="token"):
        create_app(ServeSettings(host="0.0.0.0", token="short"))


def test_token_is_required_on_pages_api_and_downloads() -> None:
    token = "s3cret-token-123"
    app = create_app(settings(host="192.0.2.1", token=token))
    with TestClient(app, base_url="http://office-pc:8000") as client:
        assert client.get("/").status_code == 401
        assert client.get("/static/app.js").status_code == 401
        assert client.get("/?token=wrong-token-000").status_code == 401
        assert client.post("/api/jobs").status_code == 401
        first = client.get(f"/?token={token}", follow_redirects=False)
        assert first.status_code == 303 and first.headers["location"] == "/"
        assert "HttpOnly" in first.headers["set-cookie"]
        csrf = open_page(client)  # the cookie from now on
        job = upload(client, csrf, [("a.txt", "正文。".encode())]).json()["job"]
        status = convert(client, csrf, job, profile="standard", formats=["pdf"])
        download = status["inputs"][0]["downloads"]["pdf"]
        assert client.get(download).status_code == 200
        client.cookies.delete("exporter_token")
        assert client.get(download).status_code == 401
        assert client.get(f"/api/jobs/{job}").status_code == 401
        bearer = client.get(f"/api/jobs/{job}", headers={"authorization": f"Bearer {token}"})
        assert bearer.status_code == 200


def test_serve_command_generates_and_prints_a_token_for_other_addresses(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from typer.testing import CliRunner

    import exporter.cli.serve as serve
    from exporter.cli import app

    seen: list[ServeSettings] = []
    monkeypatch.setattr(serve, "_run", seen.append)
    result = CliRunner().invoke(app, ["serve", "--host", "192.0.2.1", "--port", "0"])
    assert result.exit_code == 0, result.output
    assert seen[0].token is not None and len(seen[0].token) >= 16
    local = CliRunner().invoke(app, ["serve"])
    assert local.exit_code == 0 and seen[1].token is None and seen[1].host == "127.0.0.1"
    short = CliRunner().invoke(app, ["serve", "--token", "abc"])
    assert short.exit_code == 2
    unsafe = CliRunner().invoke(app, ["serve", "--token", "abc; Path=/x"])  # not cookie-safe
    assert unsafe.exit_code == 2 and len(seen) == 2


# --- expiry -------------------------------------------------------------------------------------


def test_expired_jobs_and_shutdown_leave_nothing_on_disk() -> None:
    app = create_app(settings(job_ttl=0.5))
    with client_for(app) as client:
        server = app.app.state.server
        root = server.store.root
        csrf = open_page(client)
        job = upload(client, csrf, [("a.txt", SAMPLE.read_bytes())]).json()["job"]
        status = convert(client, csrf, job, profile="standard", formats=["pdf", "docx"])
        assert status["state"] == "done"
        assert client.get(status["inputs"][0]["page_url"] + "1.png").status_code == 200
        assert client.get(status["zip"]).status_code == 200  # packed when first asked for
        names = sorted(p.name for p in files_under(root / job))
        # the batch's manifest, the outputs (named by the server), the page, the zip
        expected = [".exporter-manifest.json", "1.png", "all.zip", "input.docx", "input.pdf"]
        assert names == [*expected, "input.txt"], names
        deadline = time.monotonic() + 10
        while (root / job).exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not (root / job).exists()
        assert jobs_on_disk(root) == []
        assert client.get(f"/api/jobs/{job}").status_code == 404
        # a job still on disk at shutdown goes with the root
        upload(client, csrf, [("b.txt", "正文。".encode())])
        assert jobs_on_disk(root)
    assert not root.exists()


def test_a_killed_servers_folders_are_removed_by_the_next_start(tmp_path: Path) -> None:
    import subprocess
    import sys
    import tempfile

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()  # its pid is free now
    base = Path(tempfile.gettempdir())
    orphan = Path(tempfile.mkdtemp(prefix=PREFIX, dir=base))
    (orphan / OWNER).write_text(str(dead.pid))
    (orphan / "job").mkdir()
    (orphan / "job" / "input.txt").write_text("正文")
    alive = Path(tempfile.mkdtemp(prefix=PREFIX, dir=base))
    (alive / OWNER).write_text(str(os.getpid()))
    store = JobStore(60)
    try:
        assert not orphan.exists()
        assert alive.exists()  # its server (this process) still runs
        assert (store.root / OWNER).read_text() == str(os.getpid())
    finally:
        store.close()
        import shutil

        shutil.rmtree(alive, ignore_errors=True)
    assert not store.root.exists()
