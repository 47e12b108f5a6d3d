"""The typer command line: argument parsing only; the work happens in options, reader, batch and writers."""

from __future__ import annotations

from exporter.cli.typer_app import app, main

__all__ = ["app", "main"]
