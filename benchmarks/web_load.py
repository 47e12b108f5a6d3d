"""The ``web`` benchmark section: concurrent sample conversions through ``exporter serve``.

A bounded client loop (a fixed number of requests in flight) on 127.0.0.1 sends the sample N
times: upload, start the conversion (PDF), poll until done, fetch the preview of page 1 (rendered
on request), download the PDF. Per-conversion latency (upload to downloaded PDF) gives p50/p95; throughput is conversions
per wall second. The same documents through the CLI (one batch, ``--jobs 2``, PDF only, no
preview) and one cold CLI run give the figures to compare against. Standard library only.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any


def _percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation between closest ranks."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


class Client:
    """One browser session (cookie + CSRF token), shared by the client threads."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        page = self.opener.open(base + "/", timeout=30).read().decode("utf-8")
        match = re.search(r'name="csrf-token" content="([0-9a-f]+)"', page)
        if match is None:
            raise RuntimeError("no CSRF token on the page")
        self.csrf = match.group(1)
        self.busy = 0
        self.lock = threading.Lock()

    def post(self, path: str, fields: list[tuple[str, str]], files: list[tuple[str, bytes]]) -> Any:
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
        for name, data in files:
            head = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
                "Content-Type: text/plain\r\n\r\n"
            )
            parts.append(head.encode() + data + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        while True:
            request = urllib.request.Request(
                self.base + path,
                data=body,
                headers={
                    "Content-Type": f"multipart/form-data; boundary={boundary}",
                    "X-CSRF-Token": self.csrf,
                },
            )
            try:
                return json.loads(self.opener.open(request, timeout=300).read())
            except urllib.error.HTTPError as exc:
                if exc.code != 503:
                    raise
                with self.lock:
                    self.busy += 1
                time.sleep(float(exc.headers.get("Retry-After", "1")))

    def get(self, path: str) -> bytes:
        return bytes(self.opener.open(self.base + path, timeout=300).read())

    def convert(self, name: str, data: bytes) -> float:
        """One clerk's conversion: upload, convert to PDF, wait, download; its seconds."""
        start = time.perf_counter()
        job = self.post("/api/jobs", [], [(name, data)])["job"]
        self.post(f"/api/jobs/{job}/convert", [("profile", "standard"), ("formats", "pdf")], [])
        query = ""
        while True:  # as the page does: each answer comes at the job's next change
            status = json.loads(self.get(f"/api/jobs/{job}{query}"))
            if status["state"] == "done":
                break
            if status["state"] == "failed":
                raise RuntimeError(f"job failed: {status['error']}")
            query = f"?since={status['version']}"
        item = status["inputs"][0]
        if not self.get(item["page_url"] + "1.png").startswith(b"\x89PNG"):
            raise RuntimeError("the preview is not a PNG")
        pdf = self.get(item["downloads"]["pdf"])
        if not pdf.startswith(b"%PDF-"):
            raise RuntimeError("the download is not a PDF")
        return time.perf_counter() - start


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) so far of process ``pid`` and of every live descendant
    (the server's worker processes), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError, IndexError):
            continue  # a process that ended meanwhile
    return total


def serve(cmd: list[str], workers: int, queue: int) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``exporter serve`` on a free port of 127.0.0.1; the process and its base URL."""
    proc = subprocess.Popen(
        [*cmd, "serve", "--port", "0", "--workers", str(workers), "--queue", str(queue)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    assert proc.stderr is not None
    line = proc.stderr.readline().decode("utf-8", "replace")
    match = re.search(r"(http://127\.0\.0\.1:\d+)/", line)
    if match is None:
        proc.kill()
        raise RuntimeError(f"exporter serve did not start: {line.strip()}")
    return proc, match.group(1)


def bench_web(
    sample: Path, cmd: list[str], run_proc: Any, scratch: Path, count: int, in_flight: int
) -> dict[str, Any]:
    """The ``web`` section's results (see the module docstring)."""
    data = sample.read_bytes()
    proc, base = serve(cmd, workers=2, queue=8)
    try:
        client = Client(base)
        for _ in range(2):  # warm: each worker's first document loads the fonts
            client.convert(sample.name, data)
        alone = [client.convert(sample.name, data) for _ in range(5)]
        cpu0, client0 = tree_cpu(proc.pid), time.process_time()
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=in_flight) as pool:
            latencies = list(pool.map(lambda _: client.convert(sample.name, data), range(count)))
        wall = time.perf_counter() - started
        server_cpu, client_cpu = tree_cpu(proc.pid) - cpu0, time.process_time() - client0
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    folder = scratch / "web-cli-in"
    folder.mkdir(exist_ok=True)
    for i in range(count):
        (folder / f"doc{i:03d}.txt").write_bytes(data)
    batch = run_proc(
        [
            *cmd,
            "convert",
            str(folder),
            "-d",
            str(scratch / "web-cli-out"),
            "-t",
            "pdf",
            "-j",
            "2",
            "-q",
            "--force",
        ]
    )
    if not batch.ok:
        raise RuntimeError(f"CLI batch failed: {batch.stderr[-300:]}")
    cold = [
        run_proc(
            [
                *cmd,
                "convert",
                str(sample),
                "-d",
                str(scratch / "web-cold"),
                "-t",
                "pdf",
                "-q",
                "--force",
            ]
        ).wall
        for _ in range(3)
    ]
    return {
        "conversions": count,
        "in_flight": in_flight,
        "workers": 2,
        "errors": 0,
        "retries_503": client.busy,
        "alone_s": statistics.median(alone),
        "p50_s": statistics.median(latencies),
        "p95_s": _percentile(latencies, 95),
        "max_s": max(latencies),
        "wall_s": wall,
        "per_s": count / wall,
        # Load-independent: conversions per CPU-second of the server and its workers.
        "server_cpu_s": server_cpu,
        "per_cpu_s": count / server_cpu if server_cpu else float("nan"),
        "client_cpu_s": client_cpu,
        "cli_batch_wall_s": batch.wall,
        "cli_batch_per_s": count / batch.wall,
        "cli_batch_cpu_s": batch.cpu,
        "cli_batch_per_cpu_s": count / batch.cpu,
        "cli_cold_s": statistics.median(cold),
        "load_average": list(os.getloadavg()),
    }


def web_rows(x: dict[str, Any], f: Any) -> tuple[str, list[str], list[list[str]]]:
    """The section's table, ``f`` formatting numbers as the other tables do."""
    title = (
        f"Web: {x['conversions']} sample conversions to PDF through exporter serve "
        f"({x['workers']} workers, {x['in_flight']} in flight, 127.0.0.1; each also fetches "
        f"its page-1 preview), against the CLI"
    )
    rows = [
        ["exporter serve, one at a time", f(x["alone_s"], 2), "—", "—", "—", "—", "—"],
        [
            f"exporter serve, {x['in_flight']} in flight",
            f(x["p50_s"], 2),
            f(x["p95_s"], 2),
            f(x["wall_s"], 1),
            f(x["per_s"], 1),
            f(x["per_cpu_s"], 1),
            str(x["retries_503"]),
        ],
        [
            "CLI batch, --jobs 2",
            "—",
            "—",
            f(x["cli_batch_wall_s"], 1),
            f(x["cli_batch_per_s"], 1),
            f(x["cli_batch_per_cpu_s"], 1),
            "—",
        ],
        ["CLI cold run, one file", f(x["cli_cold_s"], 2), "—", "—", "—", "—", "—"],
    ]
    header = ["run", "p50 s", "p95 s", "wall s", "docs/s", "docs/CPU-s", "503 retries"]
    return title, header, rows


if __name__ == "__main__":  # python benchmarks/web_load.py: this section alone
    sys.exit(
        subprocess.call([sys.executable, str(Path(__file__).with_name("run.py")), "--only", "web"])
    )
