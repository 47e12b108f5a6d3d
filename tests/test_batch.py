"""Batch conversion end to end: folders, reports, incremental runs, atomicity, kill safety, jobs."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import REAL, SAMPLE, VARIANTS
from helpers import run_cli
from pypdf import PdfReader

GOOD = [
    "news_xinhua_poverty_symposium_2020.txt",
    "news_pd_wangyi_visit_2019.txt",
    "gongwen_spp_notice_1997.txt",
]
BAD = ["empty.txt", "binary_png_renamed.txt", "mixed_utf8_with_gbk_line_invalid.txt"]


def make_tree(root: Path) -> Path:
    src = root / "in"
    (src / "sub").mkdir(parents=True)
    for name in GOOD[:2]:
        shutil.copy(REAL / name, src / name)
    shutil.copy(REAL / GOOD[2], src / "sub" / GOOD[2])
    for name in BAD:
        shutil.copy(VARIANTS / name, src / "sub" / name)
    (src / "notes.rst").write_text("not matched by the default glob (*.txt,*.md,*.markdown)")
    return src


def load_report(path: Path) -> dict:  # type: ignore[type-arg]
    return json.loads(path.read_text("utf-8"))


def valid_output(path: Path) -> bool:
    """Opens with an independent reader: pypdf for PDF, the zip central directory for DOCX/EPUB."""
    if path.suffix == ".pdf":
        return len(PdfReader(path).pages) > 0
    with zipfile.ZipFile(path) as z:
        return z.testzip() is None


def test_folder_with_good_and_bad_files(tmp_path: Path) -> None:
    src = make_tree(tmp_path)
    out = tmp_path / "out"
    report = tmp_path / "report.json"
    proc = run_cli(
        "convert", str(src), "-t", "docx", "-d", str(out), "--report", str(report), "-j", "2"
    )
    assert proc.returncode == 1, proc.stderr
    err = proc.stderr.decode()
    assert "Traceback" not in err
    # mirrored tree, good inputs converted, bad ones reported with stage and reason
    assert (out / "news_xinhua_poverty_symposium_2020.docx").is_file()
    assert (out / "sub" / "gongwen_spp_notice_1997.docx").is_file()
    assert not (out / "sub" / "empty.docx").exists()
    assert not (out / "notes.docx").exists()
    data = load_report(report)
    assert data["schema"] == "exporter.report/1" and data["exit_code"] == 1
    by_name = {Path(r["input"]).name: r for r in data["inputs"]}
    assert set(by_name) == set(GOOD) | set(BAD)
    for name in BAD:
        assert by_name[name]["status"] == "failed"
        assert by_name[name]["errors"][0]["stage"] == "read"
        assert by_name[name]["errors"][0]["message"]
        assert f"FAIL {src}" in err
    for name in GOOD:
        rec = by_name[name]
        assert rec["status"] == "converted"
        (o,) = rec["outputs"]
        assert o["format"] == "docx" and o["status"] == "written"
        assert o["bytes"] == Path(o["path"]).stat().st_size
        import hashlib

        assert o["sha256"] == hashlib.sha256(Path(o["path"]).read_bytes()).hexdigest()
        assert "read" in rec["timings"] and "docx" in rec["timings"]
    totals = data["totals"]
    assert totals["inputs"] == 6 and totals["converted"] == 3 and totals["failed"] == 3


def test_incremental_rebuilds_only_what_changed(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for name in GOOD:
        shutil.copy(REAL / name, src / name)
    out = tmp_path / "out"
    report = tmp_path / "r.json"
    args = ["convert", str(src), "-t", "docx,epub", "-d", str(out), "--report", str(report)]
    assert run_cli(*args).returncode == 0
    first = {p: p.stat().st_mtime_ns for p in out.rglob("*.*") if not p.name.startswith(".")}
    assert len(first) == 6
    # a second run rebuilds nothing
    assert run_cli(*args).returncode == 0
    data = load_report(report)
    assert data["totals"]["unchanged"] == 3 and data["totals"]["outputs_written"] == 0
    assert {p: p.stat().st_mtime_ns for p in first} == first
    # a changed input is rebuilt, and only it
    changed = src / GOOD[1]
    changed.write_text(changed.read_text("utf-8") + "\n新增一段。\n", "utf-8")
    assert run_cli(*args).returncode == 0
    data = load_report(report)
    status = {Path(r["input"]).name: r["status"] for r in data["inputs"]}
    assert status == {GOOD[0]: "unchanged", GOOD[1]: "converted", GOOD[2]: "unchanged"}
    # changed options rebuild everything; --force too
    assert run_cli(*args, "-p", "gongwen").returncode == 0
    assert load_report(report)["totals"]["converted"] == 3
    assert run_cli(*args, "-p", "gongwen", "--force").returncode == 0
    assert load_report(report)["totals"]["converted"] == 3


def test_failed_conversion_keeps_existing_output(tmp_path: Path) -> None:
    src = tmp_path / "doc.txt"
    shutil.copy(SAMPLE, src)
    out = tmp_path / "out"
    assert run_cli("convert", str(src), "-t", "docx", "-d", str(out)).returncode == 0
    target = out / "doc.docx"
    before = target.read_bytes()
    shutil.copy(VARIANTS / "binary_png_renamed.txt", src)
    proc = run_cli("convert", str(src), "-t", "docx", "-d", str(out))
    assert proc.returncode == 2
    assert target.read_bytes() == before
    assert not list(out.rglob("*.exporter-tmp"))


def test_jobs_do_not_change_outputs(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for name in GOOD:
        shutil.copy(REAL / name, src / name)
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        proc = run_cli("convert", str(src), "-d", str(out), "-j", jobs)
        assert proc.returncode == 0, proc.stderr
        outs.append(
            {
                p.relative_to(out): p.read_bytes()
                for p in out.rglob("*")
                if p.is_file() and not p.name.startswith(".")
            }
        )
    assert len(outs[0]) == 9
    assert outs[0] == outs[1]


def test_fail_fast_stops_early(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(VARIANTS / "empty.txt", src / "a_empty.txt")
    for i in range(4):
        shutil.copy(SAMPLE, src / f"b{i}.txt")
    report = tmp_path / "r.json"
    proc = run_cli(
        "convert",
        str(src),
        "-t",
        "docx",
        "-d",
        str(tmp_path / "o"),
        "--fail-fast",
        "-j",
        "1",
        "--report",
        str(report),
    )
    assert proc.returncode == 1
    data = load_report(report)
    assert data["totals"]["converted"] == 0
    assert any("fail-fast" in r["errors"][0]["message"] for r in data["inputs"] if r["errors"])


def test_config_file_defaults_and_flags_win(tmp_path: Path) -> None:
    shutil.copy(SAMPLE, tmp_path / "s.txt")
    (tmp_path / "exporter.toml").write_text(
        'formats = ["docx"]\nout_dir = "cfgout"\nprofile = "gongwen"\n[meta]\nauthor = "配置作者"\n'
    )
    proc = run_cli("convert", "s.txt", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert [p.name for p in (tmp_path / "cfgout").glob("*.docx")] == ["s.docx"]
    with zipfile.ZipFile(tmp_path / "cfgout" / "s.docx") as z:
        assert "配置作者" in z.read("docProps/core.xml").decode()
    proc = run_cli("convert", "s.txt", "-t", "epub", "-d", "flagout", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "flagout" / "s.epub").is_file()
    (tmp_path / "exporter.toml").write_text("colour = 1\n")
    proc = run_cli("convert", "s.txt", cwd=tmp_path)
    assert proc.returncode == 2 and b"unknown config key" in proc.stderr


def test_pyproject_tool_section(tmp_path: Path) -> None:
    shutil.copy(SAMPLE, tmp_path / "s.txt")
    (tmp_path / "pyproject.toml").write_text('[tool.exporter]\nformats = "docx"\n')
    assert run_cli("convert", "s.txt", cwd=tmp_path).returncode == 0
    assert sorted(p.name for p in (tmp_path / "output").iterdir()) == [
        ".exporter-manifest.json",
        "s.docx",
    ]


def test_quiet_prints_nothing_on_success(tmp_path: Path) -> None:
    proc = run_cli("convert", str(SAMPLE), "-t", "docx", "-d", str(tmp_path), "-q")
    assert proc.returncode == 0 and proc.stderr == b"" and proc.stdout == b""


def test_sigkill_then_rerun_completes(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    names = []
    for i in range(6):
        for name in ("law_prc_constitution.txt", "novel_shuihu_prologue_ch001-002.txt"):
            target = src / f"{i}_{name}"
            shutil.copy(REAL / name, target)
            names.append(target.stem)
    out = tmp_path / "out"
    env = dict(os.environ)
    env.pop("SOURCE_DATE_EPOCH", None)
    cmd = [
        sys.executable,
        "-m",
        "exporter",
        "convert",
        str(src),
        "-d",
        str(out),
        "-t",
        "pdf,docx",
        "-j",
        "2",
        "-q",
    ]
    proc = subprocess.Popen(cmd, env=env, start_new_session=True)
    # wait until some work is under way, then kill the whole process group hard
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(out.rglob("*.pdf")):
        time.sleep(0.05)
    time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    # no partial file carries a final name: every final output present is complete
    for p in out.rglob("*"):
        if p.suffix in (".pdf", ".docx"):
            assert valid_output(p), p
    done = run_cli("convert", str(src), "-d", str(out), "-t", "pdf,docx", "-j", "2")
    assert done.returncode == 0, done.stderr
    assert not list(out.rglob("*.exporter-tmp"))
    for stem in names:
        for ext in (".pdf", ".docx"):
            assert valid_output(out / (stem + ext))


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_sigint_sigterm_leave_no_temporaries(tmp_path: Path, sig: signal.Signals) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(4):
        shutil.copy(REAL / "law_prc_constitution.txt", src / f"{i}.txt")
    out = tmp_path / "out"
    cmd = [
        sys.executable,
        "-m",
        "exporter",
        "convert",
        str(src),
        "-d",
        str(out),
        "-t",
        "pdf",
        "-j",
        "1",
        "-q",
    ]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while (
        time.monotonic() < deadline and not any(out.rglob("*.exporter-tmp")) and proc.poll() is None
    ):
        time.sleep(0.01)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert b"Traceback" not in err
    assert not list(out.rglob("*.exporter-tmp"))
    for p in out.rglob("*.pdf"):
        assert valid_output(p)


def test_epub_book_from_several_inputs(tmp_path: Path) -> None:
    book = tmp_path / "book.epub"
    inputs = [str(REAL / n) for n in GOOD]
    proc = run_cli("convert", *inputs, "-t", "epub", "-o", str(book), "-M", "title=文集")
    assert proc.returncode == 0, proc.stderr
    with zipfile.ZipFile(book) as z:
        names = z.namelist()
        assert names[0] == "mimetype"
        opf = next(n for n in names if n.endswith(".opf"))
        assert "文集" in z.read(opf).decode()


def test_uncovered_characters_reported_once_with_lines(tmp_path: Path) -> None:
    src = VARIANTS / "emoji_cjk_ext_b_news.txt"
    report = tmp_path / "r.json"
    proc = run_cli("convert", str(src), "-d", str(tmp_path), "--report", str(report))
    assert proc.returncode == 0, proc.stderr
    (rec,) = load_report(report)["inputs"]
    uncovered = [w for w in rec["warnings"] if w["code"] == "uncovered-chars"]
    assert len(uncovered) == 1
    assert "U+20000 𠀀 at line 12" in uncovered[0]["chars"]
    # --strict turns it into a failure of that input, and no output is left behind for it
    strict = run_cli(
        "convert",
        str(src),
        "-t",
        "pdf",
        "-d",
        str(tmp_path / "s"),
        "--strict",
        "--report",
        str(report),
    )
    assert strict.returncode == 1
    (rec,) = load_report(report)["inputs"]
    assert rec["status"] == "failed" and rec["errors"][0]["stage"] == "fonts"
    assert not (tmp_path / "s" / "emoji_cjk_ext_b_news.pdf").exists()


def test_single_output_stray_temporary_removed(tmp_path: Path) -> None:
    target = tmp_path / "one.docx"
    stray = tmp_path / ".one.docx.abc123.exporter-tmp"
    stray.write_bytes(b"partial")
    other = tmp_path / ".other.pdf.xyz.exporter-tmp"
    other.write_bytes(b"someone else's")
    proc = run_cli("convert", str(SAMPLE), "-o", str(target))
    assert proc.returncode == 0, proc.stderr
    assert valid_output(target)
    assert not stray.exists()
    assert other.exists()  # only this output's leftovers are touched


def test_fail_fast_with_a_pool_skips_the_rest(tmp_path: Path) -> None:
    from exporter.batch import BatchOptions, run_batch

    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(VARIANTS / "empty.txt", src / "a_empty.txt")
    for i in range(12):
        shutil.copy(SAMPLE, src / f"b{i:02}.txt")
    seen: list[str] = []
    options = BatchOptions(formats=("docx",), out_dir=tmp_path / "o", jobs=2, fail_fast=True)
    report = run_batch([str(src)], options, lambda rec: seen.append(rec.input))
    assert report.exit_code == 1 and len(report.records) == 13
    assert [r.input for r in report.records] == sorted(r.input for r in report.records)
    skipped = [r for r in report.records if "fail-fast" in (r.errors or [{}])[0].get("message", "")]
    assert skipped and all(o.status == "failed" for r in skipped for o in r.outputs)
    assert report.records[0].errors[0]["stage"] == "read"
    # every input that ran was reported as it finished; the skipped ones were never started
    assert len(seen) == 13 - len(skipped)
    assert not any((tmp_path / "o" / f"{Path(r.input).stem}.docx").exists() for r in skipped)
    # without --fail-fast everything else converts
    again = run_batch([str(src)], BatchOptions(formats=("docx",), out_dir=tmp_path / "p", jobs=2))
    assert again.totals()["converted"] == 12 and again.totals()["failed"] == 1


def test_each_input_is_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from exporter.batch import BatchOptions, run_batch

    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SAMPLE, src / "a.txt")
    reads: list[str] = []
    real = Path.open

    def counting(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.suffix == ".txt":  # inputs are read through one open (read_bytes opens too)
            reads.append(self.name)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", counting)
    options = BatchOptions(formats=("docx", "epub"), out_dir=tmp_path / "o", jobs=1)
    assert run_batch([str(src)], options).totals()["converted"] == 1
    assert reads == ["a.txt"]  # hashed for the manifest and converted from the same bytes
    assert run_batch([str(src)], options).totals()["unchanged"] == 1
    assert reads == ["a.txt", "a.txt"]  # the no-op rerun reads it once to hash it


def test_fifo_input_is_opened_once(tmp_path: Path) -> None:
    import threading

    fifo = tmp_path / "in.txt"
    os.mkfifo(fifo)
    data = SAMPLE.read_bytes()

    def feed() -> None:  # a second open of the FIFO would wait for a writer forever
        with fifo.open("wb") as fh:
            fh.write(data)

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    out = tmp_path / "o"
    proc = run_cli("convert", str(fifo), "-t", "docx", "-d", str(out), "-j", "1", timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert zipfile.is_zipfile(out / "in.docx")
    feeder.join(5)
    assert not feeder.is_alive()
