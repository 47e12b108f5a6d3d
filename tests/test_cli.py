"""Command-line tests through real subprocesses: inspect, formats, errors and exit codes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import REAL, SAMPLE, VARIANTS
from helpers import assert_clean_error, run_cli

from exporter import __version__


def test_version() -> None:
    proc = run_cli("--version")
    assert proc.returncode == 0
    assert proc.stdout.decode().strip() == f"exporter {__version__}"


def test_inspect_prints_json(tmp_path: Path) -> None:
    proc = run_cli("inspect", str(SAMPLE))
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["schema"] == "exporter.document/2"
    assert data["meta"]["title"] == "习近平在决战决胜脱贫攻坚座谈会上讲话"
    assert [b["type"] for b in data["blocks"][:3]] == ["title", "lead", "paragraph"]
    out = tmp_path / "model.json"
    proc = run_cli("inspect", str(SAMPLE), "-o", str(out))
    assert proc.returncode == 0 and json.loads(out.read_text("utf-8")) == data
    # and the JSON reads back
    proc = run_cli("inspect", str(out))
    assert json.loads(proc.stdout) == data


def test_inspect_outline() -> None:
    proc = run_cli("inspect", "--outline", str(REAL / "gongwen_spc_amend27_civil_2020.txt"))
    assert proc.returncode == 0
    text = proc.stdout.decode()
    assert text.startswith("title: 最高人民法院关于修改")
    assert "1. 一、 修改《最高人民法院关于在民事审判工作中适用" in text
    assert "blocks: " in text


def test_inspect_meta_override() -> None:
    proc = run_cli("inspect", str(SAMPLE), "-M", "title=新标题", "-M", "date=2020-03-06")
    meta = json.loads(proc.stdout)["meta"]
    assert meta["title"] == "新标题" and meta["date"] == "2020-03-06"


def test_unknown_schema_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"schema": "exporter.document/99", "meta": {}, "blocks": []}))
    assert_clean_error(run_cli("inspect", str(bad)), 2, "unsupported document schema")


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("empty.txt", "no text"),
        ("whitespace_only.txt", "no text"),
        ("binary_png_renamed.txt", "PNG image"),
        ("mixed_utf8_with_gbk_line_invalid.txt", "invalid UTF-8 at byte 2386"),
    ],
)
def test_bad_input_exit_2_no_output(tmp_path: Path, name: str, needle: str) -> None:
    out = tmp_path / "out"
    proc = run_cli("convert", str(VARIANTS / name), "-d", str(out))
    assert_clean_error(proc, 2, needle)
    assert not any(p.suffix in (".pdf", ".docx", ".epub") for p in out.rglob("*"))
    assert_clean_error(run_cli("inspect", str(VARIANTS / name)), 2, needle)


def test_missing_file_and_usage_errors(tmp_path: Path) -> None:
    assert_clean_error(run_cli("convert", str(tmp_path / "nope.txt")), 2, "no such file")
    assert_clean_error(
        run_cli("convert", str(SAMPLE), "-t", "pdf,docx", "-o", "x"), 2, "one format"
    )
    assert_clean_error(run_cli("convert", str(SAMPLE), "-t", "odt"), 2, "unknown format 'odt'")
    assert_clean_error(run_cli("convert", str(SAMPLE), "-p", "fancy"), 2, "unknown profile")
    assert_clean_error(
        run_cli("convert", str(SAMPLE), "-M", "colour=red"), 2, "unknown metadata key"
    )
    assert run_cli("convert").returncode == 2


def test_size_limit_message(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes("标题\n\n".encode() + "正文内容。".encode() * 4000)
    proc = run_cli("convert", str(big), "-t", "docx", "-d", str(tmp_path), "--max-size", "1000")
    assert_clean_error(proc, 2, "over the 1,000-byte limit")


def test_stdin_to_stdout() -> None:
    proc = run_cli("convert", "-", "-t", "docx", "-o", "-", stdin=SAMPLE.read_bytes())
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout[:2] == b"PK"


def test_output_infers_format(tmp_path: Path) -> None:
    target = tmp_path / "x.docx"
    proc = run_cli("convert", str(SAMPLE), "-o", str(target))
    assert proc.returncode == 0, proc.stderr
    assert target.read_bytes()[:2] == b"PK"


def test_formats_lists_builtin_and_plugins() -> None:
    proc = run_cli("formats", plugins=True)
    assert proc.returncode == 0
    text = proc.stdout.decode()
    for name in ("docx", "pdf", "epub", "plain"):
        assert name in text
    assert "missing" in text and "BROKEN" in text


def test_plugin_writer_converts(tmp_path: Path) -> None:
    proc = run_cli("convert", str(SAMPLE), "-t", "plain", "-d", str(tmp_path), plugins=True)
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / "news_xinhua_poverty_symposium_2020.plain.txt"
    assert out.read_text("utf-8").startswith("习近平在决战决胜脱贫攻坚座谈会上讲话\n3月6日，")


def test_help_is_quick_to_import() -> None:
    proc = run_cli("convert", "--help")
    assert proc.returncode == 0
    assert "Examples" in proc.stdout.decode()


def test_50mb_file_refused_by_default_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        line = ("中华人民共和国" * 20 + "\n").encode()
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            fh.write(line)
    assert big.stat().st_size > 50 * 1024 * 1024
    proc = run_cli("convert", str(big), "-d", str(tmp_path / "o"))
    assert_clean_error(proc, 2, "over the 33,554,432-byte limit (raise it with --max-size)")
    assert_clean_error(run_cli("inspect", "--outline", str(big)), 2, "--max-size")


def test_shell_completion_script() -> None:
    # --show-completion detects the shell from the parent processes unless told not to; a test
    # runner need not have a shell above it.
    proc = run_cli(
        "--show-completion",
        "bash",
        env={"SHELL": "/bin/bash", "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"},
    )
    assert proc.returncode == 0, proc.stderr
    assert b"complete" in proc.stdout and b"exporter" in proc.stdout.lower()


def test_inspect_honours_the_config_file(tmp_path: Path) -> None:
    (tmp_path / "s.txt").write_bytes(SAMPLE.read_text("utf-8").encode("gb18030"))
    (tmp_path / "exporter.toml").write_text(
        'encoding = "gb18030"\n[meta]\ntitle = "配置标题"\n', "utf-8"
    )
    proc = run_cli("inspect", "s.txt", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["meta"]["title"] == "配置标题" and data["meta"]["encoding"] == "gb18030"
    # a flag still wins over the file
    proc = run_cli("inspect", "s.txt", "-M", "title=旗标", cwd=tmp_path)
    assert json.loads(proc.stdout)["meta"]["title"] == "旗标"
    (tmp_path / "exporter.toml").write_text("max_size = 10\n")
    assert_clean_error(run_cli("inspect", "s.txt", cwd=tmp_path), 2, "--max-size")
    (tmp_path / "exporter.toml").write_text('errors = "maybe"\n')
    assert_clean_error(run_cli("inspect", "s.txt", cwd=tmp_path), 2, "strict or replace")


def test_plain_value_coercion_matches_typer() -> None:
    """The direct path for plain flag values gives what typer's own coercion gives, or its error."""
    import typer.main

    from exporter.cli import app
    from exporter.cli.coerce import PlainValues

    group = typer.main.get_command(app)
    commands = [group, *group.commands.values()]  # type: ignore[attr-defined]
    samples = [None, (), [], ("a", "b"), ["c"], "x", "007", "12", "-3", "1.5", "", " 4", "-"]
    samples += ["a/b.txt", str(SAMPLE), str(REAL), ("1", "2"), "١٢"]  # ١٢: not ASCII digits
    checked = 0
    for command in commands:
        ctx = command.make_context(command.name, [], resilient_parsing=True)
        for param in command.get_params(ctx):
            plain = getattr(param, "_runtime_param", None)
            if not isinstance(plain, PlainValues):
                pytest.skip("this typer has no runtime-coercion layer to replace")
            for value in samples:
                assert _outcome(plain, value, param, ctx) == _outcome(
                    plain.typer_coercion(), value, param, ctx
                ), (command.name, param.name, value)
                checked += 1
    assert checked > 300


def _outcome(coercion: object, value: object, param: object, ctx: object) -> object:
    try:
        result = coercion.coerce(value, param, ctx)  # type: ignore[attr-defined]
    except Exception as exc:
        return ("error", type(exc).__name__, str(exc))
    return ("ok", type(result).__name__, result)


def test_help_is_the_same_with_rich_loaded_in_full() -> None:
    """The help defers two rich modules it never uses; with them loaded first it is unchanged."""
    import subprocess
    import sys

    env = {**os.environ, "COLUMNS": "100", "TERMINAL_WIDTH": "100"}
    plain = "from exporter.cli import main; main()"
    full = "import rich.markdown, rich.traceback; " + plain
    for args in (["--help"], ["convert", "--help"], []):
        ours = subprocess.run(
            [sys.executable, "-c", plain, *args], capture_output=True, env=env, check=False
        )
        loaded = subprocess.run(
            [sys.executable, "-c", full, *args], capture_output=True, env=env, check=False
        )
        assert ours.returncode == loaded.returncode and ours.stdout == loaded.stdout, args
        assert ours.stderr == loaded.stderr and b"Usage" in ours.stdout + ours.stderr
    probe = (
        "import sys; sys.argv = ['exporter', '--help']; from exporter.cli import app\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('markdown_it', 'pygments') if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, env=env, check=False)
    assert proc.stdout.decode().splitlines()[-1] == "[]"


def test_deferred_rich_modules_work_when_used() -> None:
    import subprocess
    import sys

    code = (
        "from exporter.cli.deferred import defer_unused_rich\n"
        "defer_unused_rich()\n"
        "from rich.markdown import Markdown\n"
        "from rich.traceback import Traceback\n"
        "from rich.console import Console\n"
        "console = Console(width=30, record=True, color_system=None)\n"
        "console.print(Markdown('# Heading'))\n"
        "assert isinstance(Markdown('x'), Markdown)\n"
        "try:\n    1 / 0\nexcept ZeroDivisionError as e:\n"
        "    console.print(Traceback.from_exception(type(e), e, e.__traceback__))\n"
        "import rich.markdown\n"
        "assert rich.markdown.__file__.endswith('markdown.py')\n"
        "print(console.export_text())\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, check=False)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode()
    assert "Heading" in out and "ZeroDivisionError" in out
