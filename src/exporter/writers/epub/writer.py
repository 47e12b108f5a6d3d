"""EPUB 3 writer: XHTML per top-level heading, nav + NCX, full metadata, embedded font subsets."""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import BinaryIO, ClassVar

from exporter import diagnostics, fonts
from exporter.errors import ExporterError, WriterError
from exporter.model import (
    Block,
    Document,
    Heading,
    Metadata,
    Title,
    block_texts,
    heads_attachment,
    text_without_notes,
)
from exporter.model.framing import Framed, flattened, frame, framed_body
from exporter.options import Profile, WriteOptions
from exporter.writers import _zip
from exporter.writers._dates import PLACEHOLDER, output_datetime
from exporter.writers._provenance import provenance
from exporter.writers._xml import attr as esc
from exporter.writers._xml import report_forbidden
from exporter.writers.epub import images, package
from exporter.writers.epub import official as official_epub
from exporter.writers.epub.package import Part
from exporter.writers.html.xhtml import (
    CSS_TEXT,
    Anchor,
    Refs,
    Renderer,
    font_family,
    fragment_key,
    page,
    role_texts,
    stylesheet,
)

#: Namespace for identifiers derived from content (uuid5), fixed so identifiers stay stable.
ID_NAMESPACE = uuid.UUID("6f1c3a52-7d0e-5b8a-9c41-2e5d8f0a1b37")

#: A chapter file is also cut at a block boundary once it holds this many characters, so that no
#: content document grows past about 300 KB of UTF-8 (the limit of older reading systems).
MAX_FILE_CHARS = 100_000

_LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@dataclass(slots=True)
class _Chapter:
    name: str
    lang: str
    title: str
    parts: list[str] = field(default_factory=list)


class EpubWriter:
    """Writes a Document (or several, as parts of one book) as an EPUB 3 publication."""

    name: ClassVar[str] = "epub"
    extension: ClassVar[str] = ".epub"
    #: Draws glyphs from our fonts: uncovered characters are reported for it.
    needs_fonts: ClassVar[bool] = True

    def write(self, doc: Document, options: WriteOptions, dest: BinaryIO) -> None:
        """Write ``doc`` as an EPUB to ``dest``."""
        self._write([doc], options, dest, None, book=False)

    def write_book(
        self,
        docs: Sequence[Document],
        options: WriteOptions,
        dest: BinaryIO,
        meta: Metadata | None = None,
    ) -> None:
        """Write several documents as one EPUB, each a part in the table of contents.

        The book's title, authors, language and identifier come from ``meta`` where set, else
        from the first document (authors: every document's, in order).
        """
        if not docs:
            raise WriterError("cannot write an EPUB book from no documents")
        self._write(list(docs), options, dest, meta, book=True)

    def _write(
        self,
        docs: list[Document],
        options: WriteOptions,
        dest: BinaryIO,
        meta: Metadata | None,
        *,
        book: bool,
    ) -> None:
        try:
            data = _build(docs, options, meta, book)
        except ExporterError:
            raise
        except Exception as exc:  # anything unforeseen still reaches the user as one line
            raise WriterError(f"EPUB writer failed: {type(exc).__name__}: {exc}") from exc
        try:
            dest.write(data)
            dest.flush()
        except OSError as exc:
            raise WriterError(f"cannot write the EPUB: {exc.strerror or exc}") from exc


# ---------------------------------------------------------------------------------------------
# Building


def _doc_title(doc: Document) -> str:
    if doc.meta.title.strip():
        return " ".join(doc.meta.title.split())
    for block in doc.blocks:
        if isinstance(block, Title):
            found = " ".join(text_without_notes(block.content).split())
            if found:
                return found
    text = " ".join("".join(t for b in doc.blocks for t in block_texts(b)).split())
    return text[:30] or "未命名"


def _lang(tag: str) -> str:
    return tag if _LANG.match(tag) else "zh-CN"


def _visible(text: str) -> bool:
    return any(not fonts.is_ignorable(c) for c in text)


def _split(doc: Document) -> list[list[Block]]:
    """The document's blocks cut before each level-1 heading (and when a file grows too long)."""
    files: list[list[Block]] = [[]]
    size = 0
    for block in doc.blocks:
        current = files[-1]
        if current and (
            (isinstance(block, Heading) and block.level == 1 and not block.body)
            or heads_attachment(block)
            or size >= MAX_FILE_CHARS
        ):
            files.append([])
            size = 0
        files[-1].append(block)
        size += sum(len(t) for t in block_texts(block))
    return files


def _identifier(meta: Metadata, title: str, texts: list[str]) -> str:
    if meta.identifier.strip():
        ident = meta.identifier.strip()
        try:
            return f"urn:uuid:{uuid.UUID(ident)}"
        except ValueError:
            return ident
    # uuid5 by hand (RFC 4122 §4.3), so that text holding lone surrogates hashes too.
    name = (title + chr(0) + chr(0).join(texts)).encode("utf-8", "surrogatepass")
    digest = hashlib.sha1(ID_NAMESPACE.bytes + name, usedforsecurity=False).digest()
    return f"urn:uuid:{uuid.UUID(bytes=digest[:16], version=5)}"


def _checked_texts(docs: list[Document], meta: Metadata | None, book: bool) -> list[str]:
    """Each document's text; an empty document is an error, unwritable characters a warning."""
    texts: list[str] = []
    for i, doc in enumerate(docs):
        text = "".join(t for b in doc.blocks for t in block_texts(b))
        if not _visible(text):
            which = f"input {i + 1} ({_doc_title(doc)})" if book else "the document"
            raise WriterError(f"nothing to write: {which} has no text")
        report_forbidden([text, *_meta_texts(doc.meta)], _doc_title(doc), "EPUB")
        texts.append(text)
    if meta is not None:
        report_forbidden(_meta_texts(meta), "the book's metadata", "EPUB")
    return texts


def _chapters(
    docs: list[Document], lang: str, book: bool, profile: Profile
) -> tuple[list[_Chapter], list[Part], list[images.ImageItem], bool]:
    """Content documents; per input, its nav anchors; the embedded images; whether every
    embedded image has alt text."""
    renderer = Renderer(profile=profile)
    chapters: list[_Chapter] = []
    parts: list[Part] = []
    items: list[images.ImageItem] = []
    alt = True
    for k, doc in enumerate(docs, start=1):
        names, found = images.embed(doc, f"d{k}-" if book else "")
        items += found
        alt = alt and images.all_alt(doc, names)
        doc_lang = _lang(doc.meta.language) if book else lang
        doc_title = _doc_title(doc)
        start, counter = len(renderer.anchors), renderer.counter
        renderer.refs = Refs(images=names)
        done = _render(renderer, doc, doc_lang, doc_title, len(chapters))
        if renderer.refs.fragments:
            # Links name fragments: render again, now that every target this document writes
            # is known (a link may point at a heading further on, in a later file).
            targets = _targets(renderer.anchors[start:])
            del renderer.anchors[start:]
            renderer.counter = counter
            renderer.refs = Refs(images=names, targets=targets)
            done = _render(renderer, doc, doc_lang, doc_title, len(chapters))
            if renderer.refs.missing:
                missing = list(dict.fromkeys(renderer.refs.missing))
                diagnostics.warn(
                    "link-target-missing",
                    f"{doc_title}: no heading matches link(s) {', '.join(missing[:5])}"
                    f"{' …' if len(missing) > 5 else ''}; their text is kept, unlinked",
                    links=missing,
                )
        chapters += done
        parts.append(Part(doc_title, done[0].name, renderer.anchors[start:]))
    return chapters, parts, items, alt


def _render(
    renderer: Renderer, doc: Document, lang: str, title: str, before: int
) -> list[_Chapter]:
    """One document's content documents, numbered after the ``before`` files of the book."""
    renderer.shift = 0
    renderer.in_body = False
    out: list[_Chapter] = []
    for blocks in _split(doc):
        name = f"chap{before + len(out) + 1:03d}.xhtml"
        renderer.file = name
        chapter = _Chapter(name, lang, title)
        chapter.parts = renderer.render(blocks)
        out.append(chapter)
    return out


def _targets(anchors: list[Anchor]) -> dict[str, str]:
    """Where a document's #fragment links may point: the ids it writes, and its headings by
    their GitHub-style slug (repeated headings numbered -1, -2 …, as GitHub numbers them)."""
    targets: dict[str, str] = {}
    for anchor in anchors:
        targets.setdefault(fragment_key(anchor.id), f"{anchor.file}#{anchor.id}")
    seen: dict[str, int] = {}
    for anchor in anchors:
        key = fragment_key(anchor.label)
        if key:
            n = seen.get(key, 0)
            seen[key] = n + 1
            targets.setdefault(key + (str(n) if n else ""), f"{anchor.file}#{anchor.id}")
    return targets


def _build(docs: list[Document], options: WriteOptions, meta: Metadata | None, book: bool) -> bytes:
    # 公文 fields: in the package's metadata, and a styled 版头 and 版记 around each text.
    framed = [frame(d) for d in docs]
    official = any(d.meta.official for d in docs)
    originals, docs = docs, [framed_body(d, f) for d, f in zip(docs, framed, strict=True)]
    texts = _checked_texts([flattened(d) for d in originals], meta, book)
    first = docs[0]
    base = meta or first.meta
    title = " ".join(base.title.split()) if base.title.strip() else _doc_title(first)
    # Metadata defaults to zh-CN, so only a different language in ``meta`` counts as given.
    given = meta.language if meta and meta.language != Metadata().language else ""
    lang = _lang(given or first.meta.language)
    authors = list(base.authors) if meta and meta.authors else []
    if not authors:
        for doc in docs:
            authors += [a for a in doc.meta.authors if a not in authors]
    identifier = _identifier(base, title, texts)
    date = base.date or first.meta.date
    date_doc = replace(first, meta=replace(first.meta, date=date))
    # EPUB 3.3 §5.5 requires dcterms:modified; an undated document without SOURCE_DATE_EPOCH
    # gets the placeholder there, and no dc:date.
    modified = output_datetime(date_doc, options.source_date_epoch) or PLACEHOLDER
    chapters, parts, image_items, all_alt = _chapters(docs, lang, book, options.profile)
    font_files, faces_css, family_of = _fonts(originals, options, lang)
    css = stylesheet(options.profile, lambda role: family_of.get(role, []), faces_css)
    if official:
        # §10.2: the 命令（令）格式 has no red line under its 版头.
        _frame_chapters(chapters, parts, framed, options.profile.official_format != "order")
        css += (
            official_epub.css(
                lambda role: font_family(options.profile, lambda r: family_of.get(r, []), role)
            )
            + "\n"
        )
    opf = package.opf(
        title=title,
        lang=lang,
        identifier=identifier,
        modified=modified,
        date=date,
        authors=authors,
        publisher=base.publisher or first.meta.publisher,
        source=base.source or first.meta.source,
        subject=base.subject or first.meta.subject,
        chapters=[c.name for c in chapters],
        fonts=[name for name, _ in font_files],
        images=[(i.name, i.media_type) for i in image_items],
        all_alt=all_alt,
        provenance=provenance(first, options, "epub") + official_epub.meta_pairs(originals[0]),
    )
    head = '<link rel="stylesheet" type="text/css" href="style.css"/>\n'
    entries: list[tuple[str, bytes]] = [
        ("mimetype", b"application/epub+zip"),
        ("META-INF/container.xml", package.CONTAINER.encode()),
        ("EPUB/package.opf", opf.encode()),
        ("EPUB/nav.xhtml", package.nav(title, lang, parts, book).encode()),
        ("EPUB/toc.ncx", package.ncx(title, lang, identifier, parts, book).encode()),
        ("EPUB/style.css", css.encode()),
        *((f"EPUB/{c.name}", page(esc(c.title), c.lang, c.parts, head).encode()) for c in chapters),
        *((f"EPUB/{name}", data) for name, data in font_files),
        *((f"EPUB/{i.name}", i.data) for i in image_items),
    ]
    # Written with zipfile rather than ebooklib: ebooklib re-parses content as HTML, stamps zip
    # entries with the current time, invents a random identifier and swallows write errors;
    # building the few XML files directly is simpler and several times faster.
    return _zip.package(
        entries,
        # PNG and JPEG are compressed already: stored as they are.
        stored=frozenset({"mimetype", *(f"EPUB/{i.name}" for i in image_items)}),
        explicit_epoch=options.source_date_epoch,
    )


def _frame_chapters(
    chapters: list[_Chapter], parts: list[Part], framed: list[Framed], rule: bool = True
) -> None:
    """Each document's 版头 at the top of its first content file, its 版记 at the end of its
    last."""
    starts = [next(i for i, c in enumerate(chapters) if c.name == p.first_file) for p in parts]
    ends = [*starts[1:], len(chapters)]
    for start, end, fr in zip(starts, ends, framed, strict=True):
        head, tail = official_epub.head_html(fr, rule), official_epub.tail_html(fr)
        if head:
            chapters[start].parts.insert(0, head)
        if tail:
            chapters[end - 1].parts.append(tail)


def _meta_texts(meta: Metadata) -> list[str]:
    """The metadata fields an EPUB writes into its package document and nav."""
    return [meta.title, meta.subtitle, *meta.authors, meta.publisher, meta.source, meta.subject]


# ---------------------------------------------------------------------------------------------
# Fonts


def _codepoints(text: str) -> set[int]:
    """The distinct code points of a text (via UTF-32: no str object per character)."""
    return set(memoryview(text.encode("utf-32-le", "surrogatepass")).cast("I"))


_ByFile = dict[fonts.FontFile, tuple[fonts.Face, set[str], set[str]]]


def _chars_by_role(docs: list[Document], options: WriteOptions) -> dict[str, set[str]]:
    """The characters each font role sets, as the stylesheet assigns blocks to roles."""
    texts: dict[str, list[str]] = {"body": [CSS_TEXT]}
    for doc in docs:
        prev: Block | None = None
        for block in doc.blocks:
            for role, text in role_texts(block, prev, options.profile):
                texts.setdefault(role, []).append(text)
            prev = block
        for role, text in official_epub.role_texts(doc):  # the 版头's and 版记's
            texts.setdefault(role, []).append(text)
    return {role: {chr(cp) for cp in _codepoints("".join(t))} for role, t in texts.items()}


def _by_file(
    chars: dict[str, set[str]], fontset: fonts.FontSet
) -> tuple[_ByFile, set[fonts.FontFile], set[str]]:
    """Characters grouped by the face file that draws them (several roles may share one file):
    file -> (face, characters, roles); the fallback files; the characters no face covers."""
    by_file: _ByFile = {}
    fallback_files: set[fonts.FontFile] = set()
    uncovered: set[str] = set()
    for role in sorted(chars):
        face = fontset.face(role)
        used = chars[role]
        entry = by_file.setdefault(face.file, (face, set(), set()))
        # A deferred character (Zhuque Fangsong's proportional quotes) is left out of the role
        # face's subset, so the reader takes it from the next face of the stack, as the PDF does.
        entry[1].update(c for c in used if ord(c) not in face.deferred)
        entry[2].add(role)
        cps = face.drawn
        backup = fontset.backup(role)  # code: Han text in the body face, as the PDF sets it
        for c in sorted(c for c in used if ord(c) not in cps and not fonts.is_ignorable(c)):
            if backup is not None and ord(c) in backup.drawn:
                by_file.setdefault(backup.file, (backup, set(), set()))[1].add(c)
                continue
            fb = fontset.fallback_for(ord(c))  # the same chain the PDF writer draws with
            if fb is None:
                uncovered.add(c)
            else:
                by_file.setdefault(fb.file, (fb, set(), set()))[1].add(c)
                fallback_files.add(fb.file)
    return by_file, fallback_files, uncovered


def _fonts(
    docs: list[Document], options: WriteOptions, lang: str
) -> tuple[list[tuple[str, bytes]], str, dict[str, list[str]]]:
    """Subsets of the role faces (and fallbacks) covering every character, with their CSS."""
    families: dict[str, list[str]] = {}
    if not options.embed_fonts:
        return [], "", families
    fontset = fonts.fontset_for(options, lang)
    by_file, fallback_files, uncovered = _by_file(_chars_by_role(docs, options), fontset)
    if uncovered:
        for doc in docs:  # the fonts module words the warning (or raises with --strict)
            fonts.report_uncovered(doc, options)

    files: list[tuple[str, bytes]] = []
    css: list[str] = []
    role_family: dict[str, str] = {}
    for n, file in enumerate(sorted(by_file, key=str), start=1):
        face, used, roles = by_file[file]
        data = face.subset("".join(sorted(used)))
        name = f"fonts/font{n:02d}.ttf"
        family = f"exporter-font{n:02d}"
        bold = "bold" in face.bundled_key
        files.append((name, data))
        css.append(
            f'@font-face {{ font-family: "{family}"; src: url("{name}") format("truetype"); '
            f"font-weight: {'bold' if bold else 'normal'}; font-style: normal; }}"
        )
        for role in roles:
            role_family[role] = family
    # Fallback faces come after the role's face in every family list.
    fallback_names = [
        f"exporter-font{n:02d}"
        for n, file in enumerate(sorted(by_file, key=str), start=1)
        if file in fallback_files
    ]
    for role in options.profile.roles:
        main = role_family.get(role)
        names = ([main] if main else []) + [f for f in fallback_names if f != main]
        if names:
            families[role] = names
    return files, "\n".join(css), families
