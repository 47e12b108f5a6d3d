"""Inputs and outputs as fsspec URLs (issue 20): S3 on a moto server on 127.0.0.1 (through Dask
and locally, incremental), a memory:// round trip, and credentials never printed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import fsspec
import pytest
from helpers import run_cli
from test_dask import make_inputs, outputs

import exporter

FORMATS = ("docx", "pdf", "epub")


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """A moto S3 server on 127.0.0.1 (a free port), stopped after the module's tests."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Credentials from the environment only (what moto accepts); no profile file is read."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")


def s3(endpoint: str) -> Any:
    import s3fs

    return s3fs.S3FileSystem(
        key="testing", secret="testing", endpoint_url=endpoint, skip_instance_cache=True
    )


def upload(fs: Any, folder: Path, url: str) -> None:
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            fs.pipe_file(f"{url}/{path.relative_to(folder).as_posix()}", path.read_bytes())


def remote_outputs(fs: Any, url: str) -> dict[str, bytes]:
    root = url.split("://", 1)[1].rstrip("/")
    found = fs.find(root)
    return {
        name[len(root) + 1 :]: fs.cat_file(name)
        for name in found
        if not name.rsplit("/", 1)[-1].startswith(".exporter-")
    }


def test_s3_through_dask_then_incremental(
    tmp_path: Path, s3_endpoint: str, aws_env: None, dask_cluster: Any
) -> None:
    fs = s3(s3_endpoint)
    fs.mkdir("corpus")
    src = tmp_path / "in"
    make_inputs(src, 5)
    upload(fs, src, "s3://corpus/in")
    local = exporter.convert([src], out_dir=tmp_path / "local", jobs=1)
    # the Dask workers were started without these credentials: they come as storage options
    opts = {"key": "testing", "secret": "testing", "endpoint_url": s3_endpoint}
    first = exporter.convert(
        ["s3://corpus/in/"],
        out_dir="s3://corpus/out/",
        executor="dask",
        scheduler=dask_cluster.scheduler_address,
        storage_options=opts,
    )
    assert first.exit_code == 1 and [r.input for r in first.failed] == ["s3://corpus/in/bad.txt"]
    assert first.totals()["converted"] == 5 and first.totals()["outputs_written"] == 15
    assert [r.status for r in first.records] == [r.status for r in local.records]
    paths = sorted(o.path for r in first.records for o in r.outputs if o.status == "written")
    assert paths[0] == "s3://corpus/out/doc001.docx" and "s3://corpus/out/sub/doc000.pdf" in paths
    stored = remote_outputs(fs, "s3://corpus/out")
    assert stored == outputs(tmp_path / "local")  # byte for byte the local -j 1 run
    assert len(stored) == 15
    for rec in first.records:
        for o in rec.outputs:
            if o.status == "written":
                assert fs.info(o.path)["size"] == o.bytes
    manifest = json.loads(fs.cat_file("corpus/out/.exporter-manifest.json"))
    assert manifest["schema"] == "exporter.remote-manifest/1" and len(manifest["outputs"]) == 15
    etags = {name: fs.info(f"corpus/out/{name}")["ETag"] for name in stored}

    # a rerun (here in this process, credentials from the environment): nothing rebuilt
    again = exporter.convert(
        ["s3://corpus/in/"],
        out_dir="s3://corpus/out/",
        jobs=1,
        storage_options={"endpoint_url": s3_endpoint},
    )
    assert again.totals()["unchanged"] == 5 and again.totals()["outputs_written"] == 0

    # one input changed: only its three outputs are rebuilt
    fs.pipe_file("corpus/in/doc002.txt", "改过的第二篇。\n".encode())
    third = exporter.convert(
        ["s3://corpus/in/"],
        out_dir="s3://corpus/out/",
        executor="dask",
        scheduler=dask_cluster.scheduler_address,
        storage_options=opts,
    )
    t = third.totals()
    assert (t["converted"], t["unchanged"], t["outputs_written"]) == (1, 4, 3)
    rebuilt = [r.input for r in third.records if r.status == "converted"]
    assert rebuilt == ["s3://corpus/in/doc002.txt"]
    fs.invalidate_cache()  # s3fs answers info() from its cached listing otherwise
    for name, etag in etags.items():
        same = fs.info(f"corpus/out/{name}")["ETag"] == etag
        assert same is (not name.startswith("doc002.")), name

    # an output replaced behind the manifest's back is rebuilt, not trusted (here by the
    # process pool, whose workers take the credentials from the environment)
    fs.pipe_file("corpus/out/doc003.pdf", b"not the PDF")
    fs.invalidate_cache()
    fourth = exporter.convert(
        ["s3://corpus/in/"],
        out_dir="s3://corpus/out/",
        jobs=2,
        storage_options={"endpoint_url": s3_endpoint},
    )
    assert fourth.totals()["outputs_written"] == 1
    assert fs.cat_file("corpus/out/doc003.pdf") == stored["doc003.pdf"]


def test_s3_credentials_never_printed(tmp_path: Path, s3_endpoint: str) -> None:
    secret = "Sup3rS3cretValue"
    report = tmp_path / "r.json"
    proc = run_cli(
        "convert",
        "s3://no-such-bucket/in/a.txt",
        "-d",
        "s3://no-such-bucket/out/",
        "--storage-option",
        "key=testing",
        "--storage-option",
        f"secret={secret}",
        "--storage-option",
        f"endpoint_url={s3_endpoint}",
        "-v",
        "--report",
        str(report),
        env={"AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent"},
    )
    err = proc.stderr.decode()
    assert proc.returncode in (1, 2), err
    assert "Traceback" not in err and "s3://no-such-bucket/in/a.txt" in err
    assert secret not in err and secret not in proc.stdout.decode()
    assert not report.exists() or secret not in report.read_text("utf-8")


def test_memory_round_trip(tmp_path: Path) -> None:
    mem = fsspec.filesystem("memory")
    src = tmp_path / "in"
    make_inputs(src, 3)
    upload(mem, src, "memory://rt/in")
    local = exporter.convert([src], out_dir=tmp_path / "local", jobs=1)
    first = exporter.convert(["memory://rt/in/"], out_dir="memory://rt/out/")
    assert first.totals()["converted"] == 3 and first.totals()["outputs_written"] == 9
    assert [r.status for r in first.records] == [r.status for r in local.records]
    assert remote_outputs(mem, "memory:///rt/out") == outputs(tmp_path / "local")
    again = exporter.convert(["memory://rt/in/"], out_dir="memory://rt/out/")
    assert again.totals()["unchanged"] == 3 and again.totals()["outputs_written"] == 0
    # a single input from memory to a local file, and a local one to a memory:// file
    one = exporter.convert(["memory://rt/in/doc001.txt"], formats="pdf", output=tmp_path / "x.pdf")
    assert one.exit_code == 0
    assert (tmp_path / "x.pdf").read_bytes() == (tmp_path / "local" / "doc001.pdf").read_bytes()
    two = exporter.convert([src / "doc001.txt"], formats="epub", output="memory://rt/one.epub")
    assert two.exit_code == 0
    assert mem.cat_file("/rt/one.epub") == (tmp_path / "local" / "doc001.epub").read_bytes()
    assert exporter.convert(["memory://rt/missing/"], out_dir=tmp_path / "o").exit_code == 2
