"""Safety: never destroy a file, never write outside the target, exit 3 only for bugs.

Each test is a reproduction from the safety audit, run through the real command line (or the
Python API where the item is about the library).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest
from conftest import SAMPLE, VARIANTS
from helpers import assert_clean_error, run_cli

ROOT = os.geteuid() == 0
#: A reproduction whose fix has not landed yet: it must fail (strict), and the mark goes with the fix.
PENDING = pytest.mark.xfail(strict=True, reason="safety issue: fix pending")


def full_device(folder: Path) -> Path:
    """A private /dev/full (writes fail with ENOSPC) in ``folder``: a test must never aim at the
    system's own nodes, which a defect could replace with a regular file."""
    if not ROOT:
        pytest.skip("mknod needs root (CI runs as root)")
    node = folder / "full"
    os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 7))
    return node


def one_line_error(proc: subprocess.CompletedProcess[bytes], code: int, needle: str) -> str:
    """The process failed with ``code`` and a short message holding ``needle``, no traceback."""
    assert_clean_error(proc, code, needle)
    err = proc.stderr.decode("utf-8", "replace").strip()
    assert len(err.splitlines()) <= 2, err
    return err


# --- 1. the output is the input -------------------------------------------------------------


def test_output_that_is_the_input_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "same.txt"
    shutil.copy(SAMPLE, src)
    before = src.read_bytes()
    one_line_error(run_cli("convert", str(src), "-t", "pdf", "-o", str(src)), 2, "same.txt")
    assert src.read_bytes() == before


def test_output_that_is_the_input_through_links_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "doc.txt"
    shutil.copy(SAMPLE, src)
    before = src.read_bytes()
    (tmp_path / "sym.pdf").symlink_to(src)
    os.link(src, tmp_path / "hard.pdf")
    for name in ("sym.pdf", "hard.pdf"):
        proc = run_cli("convert", str(src), "-t", "pdf", "-o", str(tmp_path / name))
        one_line_error(proc, 2, name)
        assert src.read_bytes() == before


def test_folder_output_onto_an_input_is_refused(tmp_path: Path) -> None:
    shutil.copy(SAMPLE, tmp_path / "a.txt")
    shutil.copy(SAMPLE, tmp_path / "a.pdf")  # a text file that a '*' glob takes as an input
    before = (tmp_path / "a.pdf").read_bytes()
    proc = run_cli("convert", ".", "-d", ".", "--glob", "*", "-t", "pdf", cwd=tmp_path)
    one_line_error(proc, 2, "a.pdf")
    assert (tmp_path / "a.pdf").read_bytes() == before


def test_output_that_is_the_input_as_report_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "doc.txt"
    shutil.copy(SAMPLE, src)
    before = src.read_bytes()
    proc = run_cli("convert", str(src), "-d", str(tmp_path / "o"), "--report", str(src))
    one_line_error(proc, 2, "--report")
    assert src.read_bytes() == before
    assert not (tmp_path / "o").exists()


# --- 2. -o onto devices, FIFOs, symlinks, folders -------------------------------------------


@pytest.mark.skipif(not ROOT, reason="mknod needs root (CI runs as root)")
def test_output_onto_a_character_device_writes_through_it(tmp_path: Path) -> None:
    node = tmp_path / "devnull"
    os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    proc = run_cli("convert", str(SAMPLE), "-t", "pdf", "-o", str(node))
    assert proc.returncode == 0, proc.stderr
    assert stat.S_ISCHR(node.lstat().st_mode)


def test_output_onto_a_fifo_writes_into_it(tmp_path: Path) -> None:
    fifo = tmp_path / "out.pdf"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    proc = run_cli("convert", str(SAMPLE), "-t", "pdf", "-o", str(fifo), timeout=60)
    reader.join(30)
    assert proc.returncode == 0, proc.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert got and got[0].startswith(b"%PDF-")


def test_output_onto_a_symlink_replaces_its_target(tmp_path: Path) -> None:
    target = tmp_path / "real.pdf"
    target.write_bytes(b"old")
    link = tmp_path / "link.pdf"
    link.symlink_to(target)
    proc = run_cli("convert", str(SAMPLE), "-t", "pdf", "-o", str(link))
    assert proc.returncode == 0, proc.stderr
    assert link.is_symlink()
    assert target.read_bytes().startswith(b"%PDF-")


def test_output_onto_a_folder_is_an_error_naming_it(tmp_path: Path) -> None:
    folder = tmp_path / "folder.pdf"
    folder.mkdir()
    proc = run_cli("convert", str(SAMPLE), "-t", "pdf", "-o", str(folder))
    err = one_line_error(proc, 2, "folder.pdf")
    assert "directory" in err or "folder" in err
    assert list(folder.iterdir()) == []


# --- 3. outputs stay inside -d ------------------------------------------------------------


def test_glob_cannot_climb_out_of_the_output_folder(tmp_path: Path) -> None:
    work = tmp_path / "work"
    (work / "in").mkdir(parents=True)
    shutil.copy(SAMPLE, work / "up.txt")
    shutil.copy(SAMPLE, work / "in" / "a.txt")
    proc = run_cli("convert", "in", "--glob", "../*.txt", "-d", "out", "-t", "pdf", cwd=work)
    one_line_error(proc, 2, "--glob")
    assert not (work / "up.pdf").exists()
    assert not any(p.suffix == ".pdf" for p in tmp_path.rglob("*.pdf"))


def test_absolute_glob_is_a_usage_error(tmp_path: Path) -> None:
    shutil.copy(SAMPLE, tmp_path / "a.txt")
    proc = run_cli("convert", ".", "--glob", "/etc/*", "-d", "out", "-t", "pdf", cwd=tmp_path)
    one_line_error(proc, 2, "--glob")


def test_glob_output_through_a_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    shutil.copy(SAMPLE, tmp_path / "a.txt")
    shutil.copy(SAMPLE, tmp_path / "b.txt")
    elsewhere = tmp_path / "elsewhere.pdf"
    elsewhere.write_bytes(b"not ours")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "a.pdf").symlink_to(elsewhere)
    proc = run_cli("convert", "a.txt", "b.txt", "-d", "out", "-t", "pdf", cwd=tmp_path)
    assert_clean_error(proc, 1, "outside the output folder")
    assert elsewhere.read_bytes() == b"not ours"
    assert (tmp_path / "out" / "b.pdf").read_bytes().startswith(b"%PDF-")


def test_glob_output_folder_that_is_a_file_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "out").write_bytes(b"a file")
    proc = run_cli("convert", str(SAMPLE), "-d", str(tmp_path / "out"), "-t", "pdf")
    one_line_error(proc, 2, "not a directory")
    assert (tmp_path / "out").read_bytes() == b"a file"


# --- 4. concurrent runs into one folder ---------------------------------------------------


def _corpus(folder: Path, n: int, prefix: str) -> None:
    folder.mkdir(parents=True)
    text = SAMPLE.read_text("utf-8")
    for i in range(n):
        (folder / f"{prefix}{i:02d}.txt").write_text(f"{text}\n第{i}份。\n", "utf-8")


def test_two_runs_into_one_folder_both_succeed_and_the_manifest_keeps_both(
    tmp_path: Path,
) -> None:
    _corpus(tmp_path / "a", 8, "a")
    _corpus(tmp_path / "b", 8, "b")
    env = dict(os.environ)
    env.pop("SOURCE_DATE_EPOCH", None)
    cmd = [sys.executable, "-m", "exporter", "convert"]
    procs = [
        subprocess.Popen(
            [*cmd, str(tmp_path / d), "-d", str(tmp_path / "out"), "-t", "pdf,docx", "-j", "1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        for d in ("a", "b")
    ]
    results = [p.communicate(timeout=300) for p in procs]
    for p, (_, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err.decode()
    manifest = json.loads((tmp_path / "out" / ".exporter-manifest.json").read_text("utf-8"))
    assert len(manifest["outputs"]) == 32
    assert not list((tmp_path / "out").glob("**/*.exporter-tmp"))


def test_a_stale_lock_of_a_dead_run_is_taken_over(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (out / ".exporter-lock").write_text(json.dumps({"pid": dead.pid}))
    proc = run_cli("convert", str(SAMPLE), "-d", str(out), "-t", "pdf", timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert (out / "news_xinhua_poverty_symposium_2020.pdf").exists()


def test_two_runs_wait_for_the_lock_and_say_so(tmp_path: Path) -> None:
    from exporter.batch.lock import folder_lock

    out = tmp_path / "out"
    env = dict(os.environ)
    env.pop("SOURCE_DATE_EPOCH", None)
    cmd = [sys.executable, "-m", "exporter", "convert", str(SAMPLE), "-d", str(out), "-t", "pdf"]
    with folder_lock(out):  # another run holds the folder: this one converts, then waits
        proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, env=env)
        deadline = time.monotonic() + 60
        while (
            time.monotonic() < deadline
            and not (out / "news_xinhua_poverty_symposium_2020.pdf").exists()
        ):
            time.sleep(0.05)
        time.sleep(2)
        assert proc.poll() is None, "the run did not wait for the lock"
        assert not (out / ".exporter-manifest.json").exists()
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert f"waiting for run {os.getpid()}".encode() in err, err
    assert (
        "news_xinhua_poverty_symposium_2020.pdf"
        in json.loads((out / ".exporter-manifest.json").read_text("utf-8"))["outputs"]
    )
    assert not (out / ".exporter-lock").exists()


def test_two_runs_keep_each_others_temporaries(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    live = out / f".x.pdf.{os.getpid()}.abcd1234.exporter-tmp"  # this test is the live run
    gone = out / f".y.pdf.{dead.pid}.abcd1234.exporter-tmp"
    live.write_bytes(b"being written")
    gone.write_bytes(b"left by a killed run")
    proc = run_cli("convert", str(SAMPLE), "-d", str(out), "-t", "pdf")
    assert proc.returncode == 0, proc.stderr
    assert live.exists() and not gone.exists()


# --- 5. workers die with their parent -------------------------------------------------------


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:
            continue
    return found


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def test_workers_exit_soon_after_their_parent_is_killed(tmp_path: Path) -> None:
    _corpus(tmp_path / "in", 40, "d")
    env = dict(os.environ)
    env.pop("SOURCE_DATE_EPOCH", None)
    parent = subprocess.Popen(
        [sys.executable, "-m", "exporter", "convert", str(tmp_path / "in"), "-d",
         str(tmp_path / "out"), "-j", "2", "-q"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )  # fmt: skip
    workers: set[int] = set()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(workers) < 2:
        workers |= _children(parent.pid)
        time.sleep(0.05)
    assert workers, "no worker processes seen"
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.1)
    left = [w for w in workers if _alive(w)]
    for w in left:  # do not leave them behind even when the test fails
        os.kill(w, signal.SIGKILL)
    assert not left, f"workers still alive 10 s after the parent died: {left}"


# --- 6. bounded reads -----------------------------------------------------------------------


def _limit_memory() -> None:
    gib = 1 << 30
    resource.setrlimit(resource.RLIMIT_AS, (3 * gib, 3 * gib))


def test_an_endless_file_stops_at_the_size_limit(tmp_path: Path) -> None:
    env = dict(os.environ)
    env.pop("SOURCE_DATE_EPOCH", None)
    proc = subprocess.run(
        [sys.executable, "-m", "exporter", "convert", "/dev/zero", "-d", str(tmp_path)],
        capture_output=True,
        env=env,
        timeout=120,
        preexec_fn=_limit_memory,
        check=False,
    )
    one_line_error(proc, 2, "limit")


def test_an_endless_stdin_stops_at_the_size_limit(tmp_path: Path) -> None:
    env = dict(os.environ)
    env.pop("SOURCE_DATE_EPOCH", None)
    yes = subprocess.Popen(["yes", "一行文字"], stdout=subprocess.PIPE)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "exporter", "convert", "-", "-d", str(tmp_path)],
            stdin=yes.stdout,
            capture_output=True,
            env=env,
            timeout=120,
            preexec_fn=_limit_memory,
            check=False,
        )
    finally:
        yes.kill()
        yes.wait()
    one_line_error(proc, 2, "limit")


def test_a_fifo_over_the_size_limit_stops_there(tmp_path: Path) -> None:
    fifo = tmp_path / "in.txt"
    os.mkfifo(fifo)

    def feed() -> None:  # more than the limit; the converter stops reading, so ignore EPIPE
        try:
            with open(fifo, "wb") as f:
                f.write("一行文字\n".encode() * 1000)
        except BrokenPipeError:
            pass

    threading.Thread(target=feed, daemon=True).start()
    proc = run_cli("convert", str(fifo), "--max-size", "1000", "-d", str(tmp_path / "o"))
    one_line_error(proc, 2, "over the 1,000-byte limit")


def test_stdin_within_the_size_limit_is_converted(tmp_path: Path) -> None:
    data = SAMPLE.read_bytes()
    proc = run_cli("convert", "-", "-t", "pdf", "--max-size", str(len(data)), "-d", str(tmp_path),
                   stdin=data)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    proc = run_cli("convert", "-", "-t", "pdf", "--max-size", str(len(data) - 1), "-d",
                   str(tmp_path), stdin=data)  # fmt: skip
    one_line_error(proc, 2, "limit")


# --- 7. each input read once ----------------------------------------------------------------


def test_a_fifo_input_is_read_once_and_converted(tmp_path: Path) -> None:
    fifo = tmp_path / "in.txt"
    os.mkfifo(fifo)
    data = SAMPLE.read_bytes()

    def feed() -> None:
        with open(fifo, "wb") as f:  # one writer: a second open by the converter would hang
            f.write(data)

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    proc = run_cli("convert", str(fifo), "-t", "pdf", "-d", str(tmp_path / "out"), timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / "in.pdf").read_bytes().startswith(b"%PDF-")


# --- 8. form feeds are page breaks, never titles or signers ---------------------------------


def test_form_feed_first_line_is_not_the_title(tmp_path: Path) -> None:
    src = tmp_path / "f.txt"
    src.write_bytes("\f\n标题\n\n　　正文。\n".encode())
    proc = run_cli("inspect", str(src))
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["meta"]["title"] == "标题"
    assert all("\f" not in json.dumps(b, ensure_ascii=False) for b in doc["blocks"])
    proc = run_cli("convert", str(src), "-d", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    with zipfile.ZipFile(tmp_path / "out" / "f.epub") as z:
        opf = next(z.read(n).decode() for n in z.namelist() if n.endswith(".opf"))
    assert "␌" not in opf and "<dc:title>标题</dc:title>" in opf


def test_form_feed_between_signer_and_date(tmp_path: Path) -> None:
    src = tmp_path / "s.txt"
    src.write_bytes("标题\n\n　　正文。\n\n某某办公室\n\f\n2020年3月6日\n".encode())
    proc = run_cli("convert", str(src), "-d", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(run_cli("inspect", str(src)).stdout)
    signers = [s for b in doc["blocks"] if b["type"] == "signature" for s in b["signers"]]
    assert all("\f" not in s and s.strip() for s in signers)


# --- 9. exit 3 only for bugs ------------------------------------------------------------------


@pytest.mark.parametrize("codec", ["rot13", "base64", "hex", "zlib", "undefined"])
def test_a_non_text_codec_is_a_usage_error(tmp_path: Path, codec: str) -> None:
    proc = run_cli("convert", str(SAMPLE), "--encoding", codec, "-d", str(tmp_path))
    one_line_error(proc, 2, codec)


@pytest.mark.parametrize("where", ["folder", "full"])
def test_an_unwritable_report_is_exit_1_after_the_summary(tmp_path: Path, where: str) -> None:
    report = tmp_path / "rep" if where == "folder" else full_device(tmp_path)
    if where == "folder":
        report.mkdir()
    proc = run_cli("convert", str(SAMPLE), "-t", "pdf", "-d", str(tmp_path / "o"),
                   "--report", str(report))  # fmt: skip
    assert_clean_error(proc, 1, f"cannot write {report}")
    assert (tmp_path / "o" / "news_xinhua_poverty_symposium_2020.pdf").exists()


def test_a_file_name_that_is_not_utf8_is_converted(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    name = b"\xff\xfe-doc.txt"
    Path(os.fsdecode(bytes(folder) + b"/" + name)).write_bytes(SAMPLE.read_bytes())
    report = tmp_path / "report.json"
    proc = run_cli("convert", str(folder), "-t", "pdf", "-d", str(tmp_path / "out"),
                   "--report", str(report))  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    data = json.loads(report.read_text("utf-8"))
    assert data["totals"]["converted"] == 1
    assert len(list((tmp_path / "out").glob("*.pdf"))) == 1


def test_the_report_holds_a_name_that_is_not_utf8_escaped(tmp_path: Path) -> None:
    """The report side of the item above: valid UTF-8 JSON, each undecodable byte as \\xNN."""
    from exporter.batch.report import BatchReport, InputRecord, OutputRecord

    name = os.fsdecode(b"in/\xff\xfe-\xe6\x96\x87.txt")  # the bytes 0xff 0xfe, then 文
    rec = InputRecord(name, "converted", [OutputRecord("pdf", name[:-4] + ".pdf", "written")])
    rec.warnings = [{"code": "control-chars", "message": f"{name}: removed 1", "count": 1}]
    report = tmp_path / "r.json"
    BatchReport([rec], 0.1).save(report)
    data = json.loads(report.read_bytes().decode("utf-8"))
    assert data["inputs"][0]["input"] == "in/\\xff\\xfe-文.txt"
    assert data["inputs"][0]["outputs"][0]["path"] == "in/\\xff\\xfe-文.pdf"
    assert data["inputs"][0]["warnings"][0]["message"].startswith("in/\\xff\\xfe-文.txt:")


def test_a_manifest_entry_that_is_not_an_object_is_ignored(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = out / "news_xinhua_poverty_symposium_2020.pdf"
    entries = {"news_xinhua_poverty_symposium_2020.pdf": 5, str(target): [1], "x.pdf": "?"}
    (out / ".exporter-manifest.json").write_text(
        json.dumps({"schema": "exporter.manifest/1", "outputs": entries})
    )
    proc = run_cli("convert", str(SAMPLE), "-t", "pdf", "-d", str(out))
    assert proc.returncode == 0, proc.stderr
    warned = [line for line in proc.stderr.decode().splitlines() if line.startswith("warn")]
    assert any(".exporter-manifest.json" in line for line in warned), proc.stderr


def test_a_write_error_names_the_path(tmp_path: Path) -> None:
    full = full_device(tmp_path)
    proc = run_cli("convert", str(SAMPLE), "-t", "pdf", "-o", str(full))
    err = one_line_error(proc, 1, f"cannot write {full}")
    assert "internal error" not in err


# --- 10. -o and -t must agree ---------------------------------------------------------------


def test_an_output_suffix_contradicting_the_format_is_a_usage_error(tmp_path: Path) -> None:
    proc = run_cli("convert", str(SAMPLE), "-t", "docx", "-o", str(tmp_path / "z.pdf"))
    one_line_error(proc, 2, "z.pdf")
    assert not (tmp_path / "z.pdf").exists()


# --- 11. -M values are validated --------------------------------------------------------------


@pytest.mark.parametrize("value", ["yesterday", "2020-13-45", "2020-02-30", "20200306"])
def test_a_bad_date_is_a_usage_error_naming_the_key(tmp_path: Path, value: str) -> None:
    proc = run_cli("convert", str(SAMPLE), "-M", f"date={value}", "-d", str(tmp_path))
    err = one_line_error(proc, 2, "date")
    assert "-M" in err
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("value", ["2020", "2020-03", "2020-03-06"])
def test_iso_dates_of_any_precision_are_accepted(tmp_path: Path, value: str) -> None:
    proc = run_cli("convert", str(SAMPLE), "-M", f"date={value}", "-d", str(tmp_path), "-t",
                   "epub")  # fmt: skip
    assert proc.returncode == 0, proc.stderr


def test_a_control_character_in_meta_names_meta(tmp_path: Path) -> None:
    proc = run_cli("convert", str(SAMPLE), "-M", "title=a\x01b", "-d", str(tmp_path))
    err = one_line_error(proc, 2, "-M")
    assert "source" not in err


def test_a_bad_front_matter_date_is_a_warning_and_ignored(tmp_path: Path) -> None:
    src = tmp_path / "fm.txt"
    src.write_text("---\ntitle: 标题\ndate: 2020-13-45\n---\n\n　　正文。\n", "utf-8")
    report = tmp_path / "r.json"
    proc = run_cli("convert", str(src), "-t", "epub", "-d", str(tmp_path / "o"), "--report",
                   str(report))  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert b"front matter date" in proc.stderr
    warnings = json.loads(report.read_text("utf-8"))["inputs"][0]["warnings"]
    assert [w["code"] for w in warnings] == ["meta-ignored"]
    with zipfile.ZipFile(tmp_path / "o" / "fm.epub") as z:
        opf = next(z.read(n).decode() for n in z.namelist() if n.endswith(".opf"))
    assert "2020-13-45" not in opf and "<dc:title>标题</dc:title>" in opf


# --- 12. no invented dates ----------------------------------------------------------------------


def test_an_undated_document_gets_no_document_date(tmp_path: Path) -> None:
    from pypdf import PdfReader

    src = tmp_path / "u.txt"
    src.write_text("无日期的标题\n\n　　正文没有日期。\n", "utf-8")
    proc = run_cli("convert", str(src), "-d", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / "out"
    info = PdfReader(out / "u.pdf").metadata or {}
    assert "/CreationDate" not in info and "/ModDate" not in info, dict(info)
    with zipfile.ZipFile(out / "u.epub") as z:
        opf = next(z.read(n).decode() for n in z.namelist() if n.endswith(".opf"))
    assert "<dc:date" not in opf
    with zipfile.ZipFile(out / "u.docx") as z:
        core = z.read("docProps/core.xml").decode()
    assert "dcterms:created" not in core and "2000-01-01" not in core


# --- 13. the manifest is keyed by output path relative to the folder ------------------------


def test_manifest_is_independent_of_how_the_folder_is_named(tmp_path: Path) -> None:
    shutil.copy(SAMPLE, tmp_path / "a.txt")
    first = run_cli("convert", "a.txt", "-d", "out", "-t", "pdf", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    again = run_cli("convert", str(tmp_path / "a.txt"), "-d", str(tmp_path / "out"), "-t",
                    "pdf", "-v", cwd=SAMPLE.parent)  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert b"same " in again.stderr and b"ok   " not in again.stderr
    manifest = json.loads((tmp_path / "out" / ".exporter-manifest.json").read_text("utf-8"))
    assert list(manifest["outputs"]) == ["a.pdf"]


def test_manifest_drops_entries_whose_output_is_gone(tmp_path: Path) -> None:
    shutil.copy(SAMPLE, tmp_path / "a.txt")
    shutil.copy(SAMPLE, tmp_path / "b.txt")
    assert (
        run_cli("convert", "a.txt", "b.txt", "-d", "out", "-t", "pdf", cwd=tmp_path).returncode == 0
    )
    (tmp_path / "out" / "b.pdf").unlink()
    assert run_cli("convert", "a.txt", "-d", "out", "-t", "pdf", cwd=tmp_path).returncode == 0
    manifest = json.loads((tmp_path / "out" / ".exporter-manifest.json").read_text("utf-8"))
    assert list(manifest["outputs"]) == ["a.pdf"]


# --- 14. --max-size and NUL bytes -----------------------------------------------------------


def test_a_negative_max_size_is_a_usage_error(tmp_path: Path) -> None:
    proc = run_cli("convert", str(SAMPLE), "--max-size", "-5", "-d", str(tmp_path))
    err = one_line_error(proc, 2, "--max-size")
    assert "news_xinhua" not in err  # the option is wrong, not the file


def test_nul_bytes_in_utf8_text_are_removed_as_control_characters(tmp_path: Path) -> None:
    """A stray NUL in valid UTF-8 is a control character (as the control-character fixture has
    them): removed with a warning. The README says so; NUL bytes in other data are binary."""
    src = tmp_path / "nul.txt"
    src.write_bytes("标题\n\n　　正文\x00有空字节。\n".encode())
    proc = run_cli("convert", str(src), "-t", "epub", "-d", str(tmp_path / "o"))
    assert proc.returncode == 0, proc.stderr
    assert b"removed 1 control character" in proc.stderr, proc.stderr
    doc = json.loads(run_cli("inspect", str(src)).stdout)
    assert "\\u0000" not in json.dumps(doc) and "正文有空字节。" in json.dumps(
        doc, ensure_ascii=False
    )


def test_nul_bytes_in_data_that_is_not_utf8_are_a_binary_file(tmp_path: Path) -> None:
    src = tmp_path / "bin.txt"
    src.write_bytes(b"\x80\x81\x82 binary \x00\x01\x02 data \xc3" * 3)
    err = one_line_error(run_cli("convert", str(src), "-d", str(tmp_path / "o")), 2, "NUL byte")
    assert "not a text file" in err


# --- 15. warnings: once per document, silenced by -q, in the report --------------------------


def test_warnings_once_per_document_quiet_and_reported(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(VARIANTS / "control_chars_news.txt", folder / "a.txt")
    shutil.copy(VARIANTS / "control_chars_news.txt", folder / "b.txt")
    report = tmp_path / "r.json"
    proc = run_cli("convert", str(folder), "-d", str(tmp_path / "o"), "-j", "2", "-p",
                   "gongwen", "--report", str(report))  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    err = proc.stderr.decode()
    control = [line for line in err.splitlines() if "control character" in line]
    assert len(control) == 2, err  # one per document, not one per format or per worker
    data = json.loads(report.read_text("utf-8"))
    codes = {w["code"] for i in data["inputs"] for w in i["warnings"]}
    assert {"control-chars", "font-substitution"} <= codes
    assert data["totals"]["warnings"] >= 4
    quiet = run_cli("convert", str(folder), "-d", str(tmp_path / "q"), "-j", "2", "-q")
    assert quiet.returncode == 0 and quiet.stderr == b""


# --- 16. usage errors are one line ------------------------------------------------------------


def test_usage_errors_are_one_line() -> None:
    proc = run_cli("convert", "--no-such-flag")
    err = one_line_error(proc, 2, "exporter: error:")
    assert "╭" not in err and "│" not in err


@pytest.mark.parametrize("args", [["--debug", "formats"], ["formats", "--debug"]])
def test_debug_before_or_after_the_subcommand(args: list[str]) -> None:
    proc = run_cli(*args)
    assert proc.returncode == 0, proc.stderr


# --- 17. a font folder is searched recursively and the face chosen by role ----------------------


def test_a_font_folder_is_searched_and_the_regular_face_chosen(tmp_path: Path) -> None:
    from exporter.fonts import bundled_dir

    fonts = tmp_path / "fonts"
    (fonts / "a").mkdir(parents=True)
    (fonts / "b" / "deeper").mkdir(parents=True)
    shutil.copy(bundled_dir() / "NotoSerifCJKsc-Bold.ttf", fonts / "a")
    shutil.copy(bundled_dir() / "NotoSerifCJKsc-Regular.ttf", fonts / "b" / "deeper")
    proc = run_cli("fonts", "--font", f"body={fonts}", "--font", f"title={fonts}")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode()
    body = next(line for line in out.splitlines() if line.lstrip().startswith("body"))
    title = next(line for line in out.splitlines() if line.lstrip().startswith("title"))
    assert "NotoSerifCJKsc-Regular" in body, out
    assert "NotoSerifCJKsc-Bold" in title, out


# --- 19. the library does not print ------------------------------------------------------------


def test_the_api_reports_warnings_without_printing(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    import exporter

    with caplog.at_level("WARNING", logger="exporter"):
        doc = exporter.read_file(VARIANTS / "control_chars_news.txt")
        exporter.write(doc, "pdf", options=exporter.write_options("gongwen"))
    assert capsys.readouterr().err == ""
    messages = [r.getMessage() for r in caplog.records if r.name.startswith("exporter")]
    assert any("control character" in m for m in messages), messages


def test_manifest_holds_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    Path(os.fsdecode(bytes(folder) + b"/\xff\xfe-doc.txt")).write_bytes(SAMPLE.read_bytes())
    out = tmp_path / "out"
    proc = run_cli("convert", str(folder), "-t", "pdf", "-d", str(out))
    assert proc.returncode == 0, proc.stderr
    assert os.listdir(bytes(out)) and b"\xff\xfe-doc.pdf" in os.listdir(bytes(out))
    text = (out / ".exporter-manifest.json").read_bytes().decode("utf-8")  # strict: valid UTF-8
    assert "\\udcff\\udcfe-doc.pdf" in text
    again = run_cli("convert", str(folder), "-t", "pdf", "-d", str(out), "-v")
    assert again.returncode == 0, again.stderr
    assert b"same " in again.stderr and b"ok   " not in again.stderr
