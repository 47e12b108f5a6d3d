"""The options builder: config file, flags and API arguments give the same Settings, checked once."""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

import exporter
from exporter.batch.report import BatchReport
from exporter.cli import app
from exporter.errors import OptionsError
from exporter.options import GONGWEN, STANDARD
from exporter.options import build as build_module
from exporter.options.build import CONFIG_KEYS, DEFAULTS, build_settings
from exporter.options.settings import DEFAULT_FORMATS, BatchOptions, Settings

SRC = Path(exporter.__file__).parent

# One value for every key a config file may hold, none of them the default.
CONFIG: dict[str, Any] = {
    "formats": ["pdf"],
    "out_dir": "cfg-out",
    "profile": "gongwen",
    "meta": {"author": "配置作者", "Date": "2020-03-06"},
    "fonts": {"body": "/fonts/fang.ttf", "fallback": "/fonts/extra.ttf"},
    "fallback_fonts": ["/fonts/first.ttf"],
    "system_fonts": False,
    "embed_fonts": False,
    "strict": True,
    "jobs": 3,
    "glob": "*.text",
    "encoding": "gb18030",
    "errors": "replace",
    "max_size": 1000,
}
# The same as command-line flags.
FLAGS = [
    "-t", "pdf", "-d", "cfg-out", "-p", "gongwen", "-M", "author=配置作者", "-M", "Date=2020-03-06",
    "--font", "body=/fonts/fang.ttf", "--font", "fallback=/fonts/extra.ttf",
    "--fallback-font", "/fonts/first.ttf", "--no-system-fonts", "--no-embed-fonts", "--strict",
    "-j", "3", "--glob", "*.text", "--encoding", "gb18030", "--errors", "replace",
    "--max-size", "1000",
]  # fmt: skip


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Settings]]:
    """Replace the run with a recorder of the Settings it gets, and count the builder's calls."""
    seen: list[Settings] = []
    real = build_module.build_settings

    def spy(config: Mapping[str, Any], overrides: Mapping[str, Any], **kw: Any) -> Settings:
        built = real(config, overrides, **kw)
        seen.append(built)
        return built

    def fake_run(inputs: Sequence[str], settings: Settings, *args: Any) -> BatchReport:
        return BatchReport([], 0.0)

    monkeypatch.setattr(build_module, "build_settings", spy)
    monkeypatch.setattr("exporter.batch.dispatch.run", fake_run)
    yield seen


def cli(args: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(cwd)
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output


def test_defaults_are_the_dataclass_defaults() -> None:
    built = build_settings({}, {})
    assert built == Settings() and built.batch == BatchOptions()
    assert built.batch.formats == DEFAULT_FORMATS == ("docx", "pdf", "epub")
    assert built.write.profile is STANDARD and built.report is None


def test_default_format_list_lives_in_one_place() -> None:
    pattern = re.compile(r"""["']docx["'],\s*["']pdf["'],\s*["']epub["']""")
    found = [
        str(p.relative_to(SRC)) for p in SRC.rglob("*.py") if pattern.search(p.read_text("utf-8"))
    ]
    assert found == ["options/settings.py"]


def test_config_flags_and_api_build_the_same_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, captured: list[Settings]
) -> None:
    expected = build_module.build_settings(CONFIG, {})
    assert captured == [expected]
    assert expected.write.profile is GONGWEN
    assert expected.batch.meta == (("author", "配置作者"), ("date", "2020-03-06"))
    assert expected.write.fallback_fonts == ("/fonts/first.ttf", "/fonts/extra.ttf")
    assert dict(expected.write.fonts) == {"body": "/fonts/fang.ttf"}
    # command-line flags, no config file
    flags_dir = tmp_path / "flags"
    flags_dir.mkdir()
    cli(["convert", "x.txt", *FLAGS], flags_dir, monkeypatch)
    # the same values from exporter.toml, no flags
    toml_dir = tmp_path / "toml"
    toml_dir.mkdir()
    (toml_dir / "exporter.toml").write_text(
        'formats = ["pdf"]\nout_dir = "cfg-out"\nprofile = "gongwen"\n'
        'fallback_fonts = ["/fonts/first.ttf"]\nsystem_fonts = false\nembed_fonts = false\n'
        'strict = true\njobs = 3\nglob = "*.text"\nencoding = "gb18030"\nerrors = "replace"\n'
        "max_size = 1000\n"
        '[meta]\nauthor = "配置作者"\nDate = "2020-03-06"\n'
        '[fonts]\nbody = "/fonts/fang.ttf"\nfallback = "/fonts/extra.ttf"\n',
        "utf-8",
    )
    cli(["convert", "x.txt"], toml_dir, monkeypatch)
    # the Python API
    exporter.convert(["x.txt"], **CONFIG)
    assert len(captured) == 4
    assert all(s == expected for s in captured[1:]), captured


def test_flags_override_config_key_by_key(tmp_path: Path) -> None:
    config = {"formats": "docx", "meta": {"author": "甲", "title": "题"}, "fonts": {"body": "a"}}
    built = build_settings(
        config, {"formats": ["epub,PDF"], "meta": ["author=乙"], "fonts": ["title=b"]}
    )
    assert built.batch.formats == ("epub", "pdf")
    assert built.batch.meta == (("author", "乙"), ("title", "题"))
    assert dict(built.write.fonts) == {"body": "a", "title": "b"}
    assert build_settings(config, {"formats": None}).batch.formats == ("docx",)


@pytest.mark.parametrize(
    ("config", "overrides", "message"),
    [
        ({"colour": 1}, {}, "exporter.toml: unknown config key 'colour'"),
        ({"output": "x.pdf"}, {}, "unknown config key 'output'"),
        ({"jobs": "4"}, {}, "config key 'jobs' has the wrong type"),
        ({"strict": 1}, {}, "config key 'strict' has the wrong type"),
        ({}, {"jobs": True}, "option 'jobs' has the wrong type"),
        ({}, {"jobs": -1}, "jobs (-j/--jobs) must be 0 or more"),
        ({}, {"max_size": -5}, "max_size (--max-size) must be 0 or more"),
        ({"profile": "a5"}, {}, "unknown profile 'a5'"),
        ({}, {"errors": "ignore"}, "errors must be strict or replace"),
        ({}, {"meta": ["nokey"]}, "-M expects KEY=VALUE"),
        ({"meta": {"colour": "red"}}, {}, "unknown metadata key 'colour'"),
        ({}, {"fonts": ["body"]}, "--font expects KEY=VALUE"),
        ({"fonts": {"footer": "x.ttf"}}, {}, "unknown role 'footer'"),
        ({}, {"output": "book.epub", "formats": "pdf,epub"}, "-o/--output takes one format"),
        ({}, {"output": "book.xyz"}, "cannot tell the format of 'book.xyz'"),
        ({}, {"output": "-"}, "-o/--output takes one format"),
        (
            {},
            {"output": "z.pdf", "formats": "docx"},
            "-o z.pdf: the name says pdf but -t says docx",
        ),
        ({}, {"encoding": "rot13"}, "--encoding: 'rot13' is not a text encoding"),
        ({"encoding": "undefined"}, {}, "--encoding: 'undefined' is not a text encoding"),
        ({}, {"encoding": "no-such"}, "--encoding: unknown encoding 'no-such'"),
        ({}, {"meta": ["date=2020-02-30"]}, "-M date: '2020-02-30' is not a date"),
        ({"meta": {"date": "yesterday"}}, {}, "exporter.toml: meta date: 'yesterday' is not"),
        ({}, {"meta": {"title": "a\nb"}}, "meta title: control character U+000A"),
    ],
)
def test_bad_options_are_refused_once_with_one_message(
    config: dict[str, Any], overrides: dict[str, Any], message: str
) -> None:
    with pytest.raises(OptionsError, match=re.escape(message)):
        build_settings(config, overrides, source="exporter.toml")


def test_output_infers_its_format_unless_formats_are_given() -> None:
    assert build_settings({}, {"output": "b.epub"}).batch.formats == ("epub",)
    # The config file's formats do not apply to -o: its name says what to write (never a PDF
    # named .epub); -t may name it when the suffix is no writer's.
    assert build_settings({"formats": ["pdf"]}, {"output": "b.epub"}).batch.formats == ("epub",)
    assert build_settings({}, {"output": "b.bin", "formats": "pdf"}).batch.formats == ("pdf",)
    assert build_settings({}, {"output": "-", "formats": "pdf"}).batch.output == "-"


def _command_options(name: str) -> set[str]:
    command = typer.main.get_command(app).commands[name]  # type: ignore[attr-defined]
    return {p.name for p in command.params}


def test_api_convert_takes_every_cli_option_with_config_names() -> None:
    # where a run happens (Dask, storage) is not a conversion option nor a config key, but
    # the API takes it too, by the same names (--storage-option, repeatable: storage_options)
    placement = {"executor", "scheduler", "workers", "storage_option"}
    cli_options = _command_options("convert") - {"inputs", "quiet", "verbose"} - placement
    assert cli_options == set(DEFAULTS)
    params = inspect.signature(exporter.convert).parameters
    for name in ("executor", "scheduler", "workers", "storage_options"):
        assert params[name].kind is inspect.Parameter.KEYWORD_ONLY
        assert params[name].default is None, name
    assert placement <= _command_options("convert")
    assert cli_options <= set(params)
    for name in cli_options:
        assert params[name].kind is inspect.Parameter.KEYWORD_ONLY
        assert params[name].default is None, name  # None: the builder's default
    assert set(CONFIG_KEYS) <= cli_options


def test_every_command_option_is_a_builder_key() -> None:
    for name, own in (
        ("inspect", {"file", "out", "outline_only"}),
        ("fonts", {"check"}),
    ):
        assert _command_options(name) - own <= set(DEFAULTS), name


def test_write_options_goes_through_the_builder(captured: list[Settings]) -> None:
    opts = exporter.write_options("gongwen", fonts={"fallback": "x.ttf"}, strict=True)
    assert captured and captured[-1].write == opts
    assert opts.profile is GONGWEN and opts.strict and opts.fallback_fonts == ("x.ttf",)
    with pytest.raises(OptionsError):
        exporter.write_options("a5")


def test_api_writes_the_report(tmp_path: Path) -> None:
    from conftest import SAMPLE

    report = tmp_path / "r.json"
    result = exporter.convert(
        [SAMPLE], formats="docx", out_dir=tmp_path / "o", jobs=1, report=report
    )
    assert result.exit_code == 0
    assert '"exit_code": 0' in report.read_text("utf-8")
