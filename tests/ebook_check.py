"""Interoperability check: an EPUB read back through ebooklib (test-time only: AGPL-3.0) keeps the
metadata, spine and table of contents that its package document and navigation say."""

from __future__ import annotations

import io
import warnings
import zipfile
from typing import Any

from lxml import etree

OPF = "http://www.idpf.org/2007/opf"
DC = "http://purl.org/dc/elements/1.1/"
XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
CONTAINER = "urn:oasis:names:tc:opendocument:xmlns:container"


def _nav_tree(ol: Any) -> list[tuple[str, str, list[Any]]]:
    """A navigation list as (text, href, children), in order (EPUB 3.3 §5.4.2 nav)."""
    out = []
    for li in ol.findall(f"{{{XHTML}}}li"):
        a = li.find(f"{{{XHTML}}}a")
        if a is None:
            a = li.find(f"{{{XHTML}}}span")
        text = "".join(a.itertext()).strip() if a is not None else ""
        href = a.get("href", "") if a is not None else ""
        inner = li.find(f"{{{XHTML}}}ol")
        out.append((text, href, _nav_tree(inner) if inner is not None else []))
    return out


def _toc_tree(toc: Any) -> list[tuple[str, str, list[Any]]]:
    """ebooklib's table of contents as (title, href, children)."""
    out = []
    for entry in toc:
        if isinstance(entry, tuple):
            section, children = entry
            out.append((section.title.strip(), section.href, _toc_tree(children)))
        else:
            out.append((entry.title.strip(), entry.href, []))
    return out


def check_epub(data: bytes) -> None:
    """Assert that ebooklib reads ``data`` with the package's own metadata, spine and TOC."""
    from ebooklib import ITEM_DOCUMENT, epub

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        container = etree.fromstring(zf.read("META-INF/container.xml"))
        opf_path = container.find(f".//{{{CONTAINER}}}rootfile").get("full-path")
        opf = etree.fromstring(zf.read(opf_path))
        base = opf_path.rsplit("/", 1)[0] + "/" if "/" in opf_path else ""
        manifest = {
            i.get("id"): i for i in opf.find(f"{{{OPF}}}manifest").findall(f"{{{OPF}}}item")
        }
        nav_item = next(i for i in manifest.values() if "nav" in (i.get("properties") or ""))
        nav = etree.fromstring(zf.read(base + nav_item.get("href")))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = epub.read_epub(io.BytesIO(data), {"ignore_ncx": False})

    metadata = opf.find(f"{{{OPF}}}metadata")
    for term in ("title", "language", "identifier", "creator", "publisher", "date"):
        want = [(e.text or "").strip() for e in metadata.findall(f"{{{DC}}}{term}")]
        got = [(v or "").strip() for v, _ in book.get_metadata("DC", term)]
        assert got == want, (term, got, want)
    assert book.get_metadata("DC", "title"), "no title"

    spine = [i.get("idref") for i in opf.find(f"{{{OPF}}}spine").findall(f"{{{OPF}}}itemref")]
    assert [idref for idref, _ in book.spine] == spine
    docs = {item.get_id() for item in book.get_items_of_type(ITEM_DOCUMENT)}
    assert set(spine) <= docs, set(spine) - docs
    for idref in spine:
        assert book.get_item_with_id(idref).get_content(), idref

    toc_nav = next(n for n in nav.iter(f"{{{XHTML}}}nav") if n.get(f"{{{OPS}}}type") == "toc").find(
        f"{{{XHTML}}}ol"
    )
    want_toc = _nav_tree(toc_nav) if toc_nav is not None else []
    got_toc = _toc_tree(book.toc)
    assert got_toc == want_toc, (got_toc, want_toc)
    names = {item.get_name() for item in book.get_items()}

    def targets(tree: list[tuple[str, str, list[Any]]]) -> None:
        for _, href, children in tree:
            if href:
                assert href.split("#", 1)[0] in names, href
            targets(children)

    targets(got_toc)
