"""Helpers for end-to-end tests: run the real command line in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PLUGIN_PATH = Path(__file__).parent / "plugin_pkg"


def run_cli(
    *args: str,
    cwd: Path | None = None,
    stdin: bytes | None = None,
    plugins: bool = False,
    env: dict[str, str] | None = None,
    timeout: float = 600,
) -> subprocess.CompletedProcess[bytes]:
    """``python -m exporter ARGS`` in a subprocess; stdout/stderr captured as bytes."""
    full_env = dict(os.environ)
    full_env.pop("SOURCE_DATE_EPOCH", None)
    if plugins:
        full_env["PYTHONPATH"] = os.pathsep.join(
            [str(PLUGIN_PATH), *filter(None, [full_env.get("PYTHONPATH")])]
        )
    if env:
        full_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "exporter", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        env=full_env,
        timeout=timeout,
        check=False,
    )


def assert_clean_error(proc: subprocess.CompletedProcess[bytes], code: int, needle: str) -> None:
    """A clear one-line message with the expected exit code, and never a traceback."""
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == code, (proc.returncode, err)
    assert "Traceback" not in err, err
    assert needle in err, err
