"""Exception types whose messages are one clear line for the user (never a traceback)."""

from __future__ import annotations


class ExporterError(Exception):
    """Base of every error exporter reports to the user; ``stage`` names where it happened."""

    stage = "convert"


class InputError(ExporterError):
    """The input cannot be read or decoded (exit code 2 when it is the only input)."""

    stage = "read"


class OptionsError(ExporterError):
    """A config file, flag or API argument with an unknown key or a bad value (exit code 2)."""

    stage = "options"


class SchemaError(InputError):
    """A document JSON of an unknown or malformed schema."""


class FontError(ExporterError):
    """A font cannot be found, loaded or used, or (with --strict) a character no font covers."""

    stage = "fonts"


class WriterError(ExporterError):
    """A writer failed to produce its output."""

    stage = "write"
