"""Shared test fixtures: the fixture folder and one canonical document holding every block kind."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import pytest

from exporter.model import (
    Addressee,
    Attachments,
    Boilerplate,
    Break,
    Byline,
    Code,
    CodeBlock,
    Contents,
    DocNumber,
    Document,
    Emphasis,
    Heading,
    Image,
    Lead,
    Link,
    ListBlock,
    ListItem,
    Metadata,
    Note,
    Paragraph,
    Quote,
    Records,
    Rule,
    Signature,
    Strike,
    Strong,
    Subtitle,
    Table,
    Text,
    Title,
    Verse,
    plain,
)
from exporter.options import WriteOptions


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite tests/fixtures/golden/*.json from the reader (review the diff!)",
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """With EXPORTER_REQUIRE_TOOLS=1 (set by .ci/run, which installs the tools), a test skipped
    because a tool "is not installed" fails: a check that did not run is not a pass."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if report.skipped and os.environ.get("EXPORTER_REQUIRE_TOOLS") == "1":
        reason = str(report.longrepr[-1]) if isinstance(report.longrepr, tuple) else ""
        if "not installed" in reason:
            report.outcome = "failed"
            report.longrepr = f"required tool missing (EXPORTER_REQUIRE_TOOLS=1): {reason}"


FIXTURES = Path(__file__).parent / "fixtures"
REAL = FIXTURES / "real"
VARIANTS = FIXTURES / "variants"
SAMPLE = REAL / "news_xinhua_poverty_symposium_2020.txt"
GOLDEN = FIXTURES / "golden"


def attachment_document() -> Document:
    """A body, an attachment headed 附件1 with its title and text, then a 附件： note."""
    return Document(
        Metadata(),
        (
            Paragraph(plain("正文。")),
            Attachments("附件1", ()),
            Paragraph(plain("2026年省十件民生实事")),
            Paragraph(plain("坚持民生为大。")),
            Attachments("附件：", ()),
            Paragraph(plain("说明。")),
        ),
    )


def all_blocks_document() -> Document:
    """One document with every block and inline kind, markup-like text included."""
    return Document(
        Metadata(
            title="关于做好示范文档工作的通知",
            subtitle="——测试用例",
            authors=("示范办公室",),
            date="2020-03-06",
            source="新华社",
            document_number="国办发〔2022〕35号",
            language="zh-CN",
        ),
        (
            DocNumber("国办发〔2022〕35号"),
            Title(plain("关于做好示范文档工作的通知")),
            Subtitle(plain("——测试用例")),
            Addressee(plain("各省、自治区、直辖市人民政府，国务院各部委、各直属机构：")),
            Byline(plain("（记者 张三）")),
            Lead("新华社北京3月6日电", plain("今天，示范文档工作会议在北京召开。")),
            Contents((plain("一、总体要求"), plain("二、主要任务"))),
            Heading(1, "一、", plain("总体要求")),
            Paragraph(
                plain(
                    "各地区、各部门要高度重视，“两不愁”“三保障”——确保……完成。A&B <b>不是标签</b> & x<y。"
                )
            ),
            Heading(
                2, "（一）", plain("高度重视复制推广工作。"), plain("各地区要结合实际，抓好落实。")
            ),
            Heading(3, "1.", plain("明确责任")),
            Heading(4, "（1）", plain("细化分工")),
            Paragraph(
                (
                    Text("含有"),
                    Emphasis((Text("强调"),)),
                    Text("与注释"),
                    Note((Text("注释内容"),)),
                    Text("的段落。"),
                )
            ),
            Quote(plain("引文：天下兴亡，匹夫有责。")),
            Paragraph(
                (
                    Strong((Text("加粗"),)),
                    Text("与"),
                    Strike((Text("删除"),)),
                    Text("、代码"),
                    Code("pip install <x>"),
                    Text("、"),
                    Link("https://example.com/?a=1&b=2", (Text("链接"),)),
                    Text("和"),
                    Image("示意图", ""),
                    Text("。"),
                )
            ),
            Table(
                ("left", "center", "right"),
                ((plain("项目"), plain("数量"), plain("备注")),),
                (
                    (plain("苹果"), plain("3"), (Strong((Text("新鲜"),)),)),
                    (plain("梨"), plain("12"), ()),
                ),
            ),
            ListBlock(
                True,
                (
                    ListItem("1.", plain("第一项")),
                    ListItem(
                        "2.",
                        plain("第二项 with Latin words"),
                        (ListBlock(False, (ListItem("-", plain("嵌套项")),)),),
                    ),
                ),
            ),
            Verse((plain("床前明月光，"), plain("疑是地上霜。"))),
            CodeBlock("print(\"<img src='/etc/hostname'/>\")\n  indented"),
            Rule("※ ※ ※"),
            Break("page"),
            Heading(1, "第十二条", (), plain("本法自公布之日起施行。")),
            Attachments(
                "附件：", (ListItem("1.", plain("示范清单")), ListItem("2.", plain("责任分工表")))
            ),
            Signature(("示范办公室",), "2020年3月6日"),
            Boilerplate(("责任编辑：李四", "【打印】【关闭】")),
            # Last, so that the blocks above keep their places in the tests that index them.
            Records(
                (
                    plain("2020年3月1日 示范委员会第一次会议通过"),
                    plain("2020年3月5日 示范委员会第二次会议修正"),
                )
            ),
        ),
    )


@pytest.fixture
def all_blocks_doc() -> Document:
    return all_blocks_document()


@pytest.fixture(autouse=True, scope="session")
def _ebooklib_reads_every_epub() -> Iterator[None]:
    """Every EPUB a test writes in this process is read back through ebooklib (an independent
    reader, test-time only) with its metadata, spine and table of contents intact."""
    try:
        import ebooklib  # noqa: F401
    except ImportError:  # test_epub_ebooklib.py reports the missing reader as a skip
        yield
        return
    from ebook_check import check_epub

    from exporter.writers.epub.writer import EpubWriter

    original, original_book = EpubWriter.write, EpubWriter.write_book

    def check(dest: BinaryIO) -> None:
        getvalue = getattr(dest, "getvalue", None)
        if getvalue is not None:
            check_epub(getvalue())
        elif isinstance(getattr(dest, "name", None), str) and Path(dest.name).is_file():
            dest.flush()
            check_epub(Path(dest.name).read_bytes())

    def write(self: EpubWriter, doc: Document, options: WriteOptions, dest: BinaryIO) -> None:
        original(self, doc, options, dest)
        check(dest)

    def write_book(self: EpubWriter, *args: Any, **kwargs: Any) -> None:
        original_book(self, *args, **kwargs)
        check(args[2] if len(args) > 2 else kwargs["dest"])

    EpubWriter.write = write  # type: ignore[method-assign]
    EpubWriter.write_book = write_book  # type: ignore[method-assign]
    try:
        yield
    finally:
        EpubWriter.write, EpubWriter.write_book = original, original_book  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def dask_cluster() -> Iterator[Any]:
    """One LocalCluster for the Dask tests: two single-threaded worker processes on 127.0.0.1,
    no dashboard; closed (its processes ended) at the end of the session."""
    from exporter.batch.dask_runner import local_cluster  # dask is in the test extra

    cluster = local_cluster(2)
    try:
        yield cluster
    finally:
        cluster.close()
