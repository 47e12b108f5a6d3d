"""exporter archive: BagIt bags (RFC 8493) checked with the Library of Congress bagit library."""

from __future__ import annotations

import io
import os
from pathlib import Path

import bagit
import pikepdf.pdfa
import pytest

from tests.conftest import REAL
from tests.helpers import assert_clean_error, run_cli

NOTICE = """国务院办公厅关于印发某某工作方案的通知
国办发〔2022〕35号
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
现将《某某工作方案》印发给你们，请认真贯彻执行。
国务院办公厅
2022年10月26日
"""
EPOCH = "1700000000"


def _archive(*args: str, cwd: Path | None = None) -> None:
    proc = run_cli("archive", *args, cwd=cwd, env={"SOURCE_DATE_EPOCH": EPOCH})
    assert proc.returncode == 0, proc.stderr.decode()


def _info(bag: Path) -> dict[str, str]:
    return dict(bagit.Bag(str(bag)).info)


def test_one_bag_per_input(tmp_path: Path) -> None:
    notice = tmp_path / "notice.txt"
    notice.write_bytes(NOTICE.encode("gb18030"))  # kept as it was: GB18030 bytes
    poem = REAL / "poetry_caocao_three_poems.txt"
    _archive(str(notice), str(poem), "-o", str(tmp_path / "bags"))
    bag_dir = tmp_path / "bags" / "notice"
    bag = bagit.Bag(str(bag_dir))
    bag.validate()
    assert bag.version_info == (1, 0)
    assert sorted(os.listdir(bag_dir / "data")) == [
        "notice.docx", "notice.epub", "notice.json", "notice.pdf", "notice.txt",
    ]  # fmt: skip
    assert (bag_dir / "data" / "notice.txt").read_bytes() == notice.read_bytes()
    info = _info(bag_dir)
    assert info["Source-Organization"] == "国务院办公厅"
    assert info["External-Identifier"] == "国办发〔2022〕35号"
    assert info["External-Description"] == "国务院办公厅关于印发某某工作方案的通知"
    assert info["Bagging-Date"] == "2023-11-14"  # SOURCE_DATE_EPOCH
    payload = list((bag_dir / "data").iterdir())
    assert info["Payload-Oxum"] == f"{sum(p.stat().st_size for p in payload)}.{len(payload)}"
    assert (bag_dir / "manifest-sha256.txt").is_file()
    assert (bag_dir / "tagmanifest-sha256.txt").is_file()
    # the PDF is a PDF/A-3b carrying the source
    pdf = (bag_dir / "data" / "notice.pdf").read_bytes()
    assert pikepdf.pdfa.validate_written(io.BytesIO(pdf), "3b").passed
    poem_bag = tmp_path / "bags" / "poetry_caocao_three_poems"
    bagit.Bag(str(poem_bag)).validate()
    assert "External-Identifier" not in _info(poem_bag)  # no number: no field, nothing invented


def test_tampered_payload_is_detected(tmp_path: Path) -> None:
    _archive(str(REAL / "poetry_caocao_three_poems.txt"), "-o", str(tmp_path))
    bag_dir = tmp_path / "poetry_caocao_three_poems"
    source = bag_dir / "data" / "poetry_caocao_three_poems.txt"
    data = bytearray(source.read_bytes())
    data[10] ^= 1
    source.write_bytes(bytes(data))
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(bag_dir)).validate()


def test_one_bag_for_all(tmp_path: Path) -> None:
    a, b = REAL / "poetry_caocao_three_poems.txt", REAL / "news_pd_wangyi_visit_2019.txt"
    _archive(str(a), str(b), "-o", str(tmp_path), "--bag", "together")
    bag_dir = tmp_path / "together"
    bagit.Bag(str(bag_dir)).validate()
    assert sorted(os.listdir(bag_dir / "data")) == [
        "news_pd_wangyi_visit_2019", "poetry_caocao_three_poems",
    ]  # fmt: skip
    assert (bag_dir / "data" / a.stem / a.name).read_bytes() == a.read_bytes()
    assert (bag_dir / "data" / b.stem / f"{b.stem}.pdf").is_file()


def test_incremental_and_byte_identical(tmp_path: Path) -> None:
    src = REAL / "poetry_caocao_three_poems.txt"
    _archive(str(src), "-o", str(tmp_path / "one"))
    _archive(str(src), "-o", str(tmp_path / "two"))
    one, two = tmp_path / "one" / src.stem, tmp_path / "two" / src.stem
    for name in ("manifest-sha256.txt", "tagmanifest-sha256.txt", "bag-info.txt"):
        assert (one / name).read_bytes() == (two / name).read_bytes()
    before = (one / "data" / f"{src.stem}.pdf").stat().st_mtime_ns
    proc = run_cli(
        "archive", str(src), "-o", str(tmp_path / "one"), env={"SOURCE_DATE_EPOCH": EPOCH}
    )
    assert proc.returncode == 0 and b"(unchanged)" in proc.stderr
    assert (one / "data" / f"{src.stem}.pdf").stat().st_mtime_ns == before
    proc = run_cli(
        "archive", str(src), "-o", str(tmp_path / "one"), "--pdfa", "2b",
        env={"SOURCE_DATE_EPOCH": EPOCH},
    )  # fmt: skip
    assert proc.returncode == 0 and b"(written)" in proc.stderr
    bagit.Bag(str(one)).validate()
    assert not [p for p in (tmp_path / "one").iterdir() if p.name.startswith(".")]


def test_failure_leaves_no_bag(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00\xd8" * 3 + b"\x80\x81")
    good = REAL / "poetry_caocao_three_poems.txt"
    proc = run_cli("archive", str(bad), str(good), "-o", str(tmp_path / "out"))
    assert_clean_error(proc, 1, "FAIL bad.txt")
    assert sorted(os.listdir(tmp_path / "out")) == [good.stem]  # no half-built bag, no temp


def test_usage_errors(tmp_path: Path) -> None:
    src = REAL / "poetry_caocao_three_poems.txt"
    assert_clean_error(run_cli("archive", str(src)), 2, "-o")
    proc = run_cli("archive", str(src), "-o", str(tmp_path), "--bag", "../x")
    assert_clean_error(proc, 2, "--bag takes a folder name")
    proc = run_cli("archive", str(tmp_path / "missing.txt"), "-o", str(tmp_path))
    assert_clean_error(proc, 2, "missing.txt")
