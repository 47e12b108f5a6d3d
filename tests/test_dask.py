"""Batch conversion on Dask (issue 20): same outputs and report as a local run, a killed worker's
documents re-run, workers of another exporter version refused, dask imported only when asked."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from conftest import SAMPLE
from helpers import assert_clean_error, run_cli

import exporter
from exporter.batch.report import BatchReport


def make_inputs(folder: Path, count: int, lines: int | None = 8) -> None:
    """``count`` texts (the sample's first ``lines`` lines, or all of it) that differ in one
    character, one in a subfolder, and one input that cannot be decoded."""
    text = SAMPLE.read_text("utf-8")
    if lines is not None:
        text = "\n".join(text.splitlines()[:lines]) + "\n"
    (folder / "sub").mkdir(parents=True)
    for i in range(count):
        where = folder / "sub" if i == 0 else folder
        (where / f"doc{i:03d}.txt").write_text(text + f"第{chr(0x4E00 + i)}号\n", "utf-8")
    (folder / "bad.txt").write_bytes("坏".encode() + b"\xff\xfe\n")


def outputs(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` but the manifest and lock, by relative path."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and not p.name.startswith(".exporter-")
    }


def comparable(report: BatchReport, local: Path, remote: Path) -> list[dict[str, Any]]:
    """The report's records without timings, the output folder's name made the same."""
    out = []
    for rec in report.to_json()["inputs"]:
        rec.pop("timings")
        for o in rec["outputs"]:
            o["path"] = o["path"].replace(str(remote), str(local))
        out.append(rec)
    return out


def test_dask_equals_local_j1_byte_for_byte(tmp_path: Path, dask_cluster: Any) -> None:
    src = tmp_path / "in"
    make_inputs(src, 9)
    local = exporter.convert([src], out_dir=tmp_path / "local", jobs=1)
    dask = exporter.convert(
        [src],
        out_dir=tmp_path / "dask",
        executor="dask",
        scheduler=dask_cluster.scheduler_address,
    )
    # a bad input is a failed record in both (exit 1), never an exception or a retry loop
    assert local.exit_code == dask.exit_code == 1
    assert [r.input for r in dask.failed] == [str(src / "bad.txt")]
    assert dask.totals()["converted"] == 9 and dask.totals()["outputs_written"] == 27
    assert comparable(dask, tmp_path / "local", tmp_path / "dask") == comparable(
        local, tmp_path / "local", tmp_path / "dask"
    )
    mine, theirs = outputs(tmp_path / "dask"), outputs(tmp_path / "local")
    assert sorted(mine) == sorted(theirs) and len(mine) == 27
    assert "sub/doc000.pdf" in mine
    for name, data in theirs.items():
        assert mine[name] == data, name
    # the manifest works as a local run's: a rerun on Dask rebuilds nothing
    again = exporter.convert(
        [src], out_dir=tmp_path / "dask", executor="dask", scheduler=dask_cluster.scheduler_address
    )
    assert again.totals()["unchanged"] == 9 and again.totals()["outputs_written"] == 0


def test_the_local_cluster_listens_on_localhost_only(dask_cluster: Any) -> None:
    """The scheduler, its HTTP server (/health, /metrics: no dashboard) and the workers on
    127.0.0.1; the HTTP server on a free port, not 8787, so that two clusters on one machine
    (two test workers, two scripts) neither collide nor warn."""
    scheduler = dask_cluster.scheduler
    assert dask_cluster.scheduler_address.startswith("tcp://127.0.0.1:")
    assert scheduler.http_server.address == "127.0.0.1"
    assert scheduler.http_server.port != 8787
    assert all(w.startswith("tcp://127.0.0.1:") for w in scheduler.workers)


def test_cli_flags_and_fail_fast(tmp_path: Path, dask_cluster: Any) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_bytes(b"\xff\xfe\xfa not text\n")  # fails first, in name order
    for name in "bcdefghij":
        (src / f"{name}.txt").write_text(f"第{name}篇。\n", "utf-8")
    report = tmp_path / "r.json"
    proc = run_cli(
        "convert",
        str(src),
        "-d",
        str(tmp_path / "out"),
        "-t",
        "pdf",
        "--executor",
        "dask",
        "--scheduler",
        dask_cluster.scheduler_address,
        "--fail-fast",
        "--report",
        str(report),
    )
    assert proc.returncode == 1, proc.stderr
    assert b"Traceback" not in proc.stderr
    body = json.loads(report.read_text("utf-8"))
    assert body["exit_code"] == 1 and len(body["inputs"]) == 10
    statuses = [r["status"] for r in body["inputs"]]
    assert statuses[0] == "failed"
    skipped = [r for r in body["inputs"] if "stopped by --fail-fast" in str(r["errors"])]
    # one document per task under --fail-fast, 2 x 2 in flight: the rest are never started
    assert skipped, statuses
    assert all(not (tmp_path / "out" / f"{Path(r['input']).stem}.pdf").exists() for r in skipped)


def test_usage_errors_are_one_line(tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text("正文。\n", "utf-8")
    assert_clean_error(
        run_cli("convert", str(src), "--scheduler", "tcp://127.0.0.1:1"), 2, "need --executor dask"
    )
    assert_clean_error(run_cli("convert", str(src), "--executor", "ray"), 2, "process or dask")
    assert_clean_error(
        run_cli("convert", str(src), "-t", "pdf", "-o", "-", "--executor", "dask"),
        2,
        "cannot write to this standard output",
    )
    quick = {"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "1s"}  # no scheduler listens there
    assert_clean_error(
        run_cli(
            "convert", str(src), "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9", env=quick
        ),
        2,
        "--scheduler tcp://127.0.0.1:9: cannot connect",
    )


def _pretend_version(version: str) -> str:
    old = exporter.__version__
    exporter.__version__ = version
    return old


def test_version_mismatch_refused(tmp_path: Path, dask_cluster: Any) -> None:
    from distributed import Client

    src = tmp_path / "in"
    make_inputs(src, 2)
    with Client(dask_cluster) as client:
        client.run(_pretend_version, "0.0.1")
        try:
            result = exporter.convert(
                [src],
                out_dir=tmp_path / "out",
                executor="dask",
                scheduler=dask_cluster.scheduler_address,
            )
        finally:
            # Fresh worker processes: a module imported while the version was pretended kept
            # it (``from exporter import __version__``), and the session's later Dask runs
            # wrote "exporter 0.0.1" into their outputs' provenance.
            client.restart()
    assert result.exit_code == 2
    assert "runs exporter 0.0.1" in result.usage_error
    assert f"this client exporter {exporter.__version__}" in result.usage_error
    assert "install the same exporter version and fonts on every machine" in result.usage_error
    assert "\n" not in result.usage_error
    assert not (tmp_path / "out").exists() or not outputs(tmp_path / "out")


def test_a_batch_checks_its_worker(tmp_path: Path) -> None:
    """A worker that joins after the start is checked by each batch it runs."""
    from exporter.batch.dask_runner import Refused, convert_batch, identity
    from exporter.batch.plan import Task
    from exporter.options.settings import BatchOptions

    options = BatchOptions(out_dir=tmp_path)
    task = Task(0, str(tmp_path / "missing.txt"), None, (), options)
    refused = convert_batch([task], "exporter 0.0.1, fonts 000000000000")
    assert isinstance(refused, Refused) and refused.identity == identity(options.write)
    done = convert_batch([task], identity(options.write))
    assert isinstance(done, list) and done[0].record.status == "failed"


def test_killed_worker_run_completes_every_output_once(tmp_path: Path, dask_cluster: Any) -> None:
    from distributed import Client

    src = tmp_path / "in"
    make_inputs(src, 24, lines=None)  # the whole sample: a batch of four takes a while
    out = tmp_path / "out"
    client = Client(dask_cluster)
    killed: list[int] = []
    result: list[BatchReport] = []

    def kill_a_busy_worker(_rec: Any) -> None:
        if killed:
            return
        busy = [addr for addr, keys in client.processing().items() if keys]
        pids = client.run(os.getpid, workers=busy[:1]) if busy else {}
        for pid in pids.values():
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    def run() -> None:
        result.append(
            exporter.convert(
                [src],
                out_dir=out,
                executor="dask",
                scheduler=dask_cluster.scheduler_address,
                progress=kill_a_busy_worker,
            )
        )

    try:
        worker = threading.Thread(target=run)
        worker.start()
        worker.join(180)
        assert not worker.is_alive()
        assert killed, "no worker was busy when the first document finished"
        report = result[0]
        assert report.exit_code == 1 and [r.input for r in report.failed] == [str(src / "bad.txt")]
        assert report.totals()["converted"] == 24
        assert report.totals()["outputs_written"] == 72
        # every output exactly once, complete, and no temporary left by the killed worker
        names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
        stems = [f"doc{i:03d}" for i in range(1, 24)]
        expected = sorted(
            [f"{s}.{ext}" for s in stems for ext in ("docx", "pdf", "epub")]
            + [f"sub/doc000.{ext}" for ext in ("docx", "pdf", "epub")]
            + [".exporter-manifest.json"]
        )
        assert names == expected
        for rec in report.records:
            for o in rec.outputs:
                if o.status == "written":
                    data = Path(o.path).read_bytes()
                    assert len(data) == o.bytes
        manifest = json.loads((out / ".exporter-manifest.json").read_text("utf-8"))
        assert len(manifest["outputs"]) == 72
    finally:
        client.wait_for_workers(2, timeout=60)  # the nanny restarted the killed one
        client.close()


def test_dask_is_imported_only_when_asked(tmp_path: Path) -> None:
    """The default command line and a local run never import dask, distributed or fsspec."""
    src = tmp_path / "a.txt"
    src.write_text("正文。\n", "utf-8")
    code = (
        "import sys, exporter\n"
        "from exporter.cli.typer_app import app\n"
        f"r = exporter.convert([{str(src)!r}], out_dir={str(tmp_path / 'o')!r}, formats='epub')\n"
        "assert r.exit_code == 0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('dask', 'distributed', 'fsspec', 's3fs', 'boto3')))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == b"[]"


def test_secrets_kept_out_of_reprs() -> None:
    from exporter.batch.backend import make_backend

    backend = make_backend("dask", None, 2, ["secret=S3CR3T", "anon=false", "n=3"], "s3://b/o/")
    assert dict(backend.storage_options) == {"secret": "S3CR3T", "anon": False, "n": 3}
    assert "S3CR3T" not in repr(backend) and backend.out_url == "s3://b/o/"


def test_without_the_extra_a_clear_message(tmp_path: Path) -> None:
    """Without dask (or fsspec) installed: one line naming the extra, exit 2, no traceback."""
    src = tmp_path / "a.txt"
    src.write_text("正文。\n", "utf-8")
    code = (
        "import sys\n"
        "sys.modules['distributed'] = None\n"  # as if not installed: importing it fails
        "sys.modules['fsspec'] = None\n"
        "import exporter\n"
        f"r = exporter.convert([{str(src)!r}], out_dir={str(tmp_path / 'o')!r}, executor='dask')\n"
        "print(r.exit_code, r.usage_error)\n"
        "r = exporter.convert(['s3://b/in/'], out_dir='s3://b/out/')\n"
        "print(r.exit_code, r.usage_error)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.decode().splitlines()
    assert lines == [
        "2 --executor dask needs distributed: pip install 'exporter[dask]'",
        "2 s3://b/in/: URLs need fsspec: pip install 'exporter[dask]'",
    ]
