"""DOCX embedded fonts: subsets of the faces the styles name, obfuscated (ECMA-376 Part 1 §17.8.1)."""

from __future__ import annotations

import hashlib
import re
import struct
from collections.abc import Iterable, Mapping

from exporter import diagnostics, fonts
from exporter.model import Block, Document, Emphasis, Inlines, Link, Note, Strike, Strong
from exporter.options import WriteOptions
from exporter.record import record
from exporter.typesetting.styles import block_style

#: Licences of bundled faces that allow embedding a subset in a document (OFL-1.1 §2, §5).
EMBEDDABLE_LICENCES = frozenset({"OFL-1.1"})

#: Characters the package sets that are not in the document's text: the footer's page number
#: (GB/T 9704 §7.5 "— 1 —") and the digits PAGE fields show.
_PAGE_TEXT = "— 0123456789"

#: OpenType OS/2 fsType bits (OpenType 1.9 "OS/2 — fsType").
_RESTRICTED = 0x0002
_PREVIEW_PRINT = 0x0004
_EDITABLE = 0x0008
_NO_SUBSETTING = 0x0100
_BITMAP_ONLY = 0x0200


@record
class EmbeddedFont:
    """One obfuscated font part: the w:font it belongs to, regular or bold, its key and bytes."""

    family: str  # the w:font name the styles' w:rFonts use
    bold: bool  # w:embedBold, else w:embedRegular (ECMA-376 Part 1 §17.8.3.3, §17.8.3.4)
    part: str  # word/fonts/fontN.odttf
    rid: str  # the relationship id from fontTable.xml
    key: str  # w:fontKey, a GUID in braces
    data: bytes  # the subset, before obfuscation

    def element(self) -> str:
        tag = "embedBold" if self.bold else "embedRegular"
        return f'<w:{tag} r:id="{self.rid}" w:fontKey="{self.key}" w:subsetted="1"/>'


def font_key(data: bytes) -> str:
    """A GUID for the obfuscation key, from the font's bytes: same font, same key, same file."""
    h = hashlib.sha256(data).hexdigest()[:32].upper()
    return f"{{{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}}}"


def obfuscate(data: bytes, key: str) -> bytes:
    """ECMA-376 Part 1 §17.8.1: the first 32 bytes XORed with the key's 16 bytes, taken from
    the GUID's hex digits in reverse order. The same operation undoes it."""
    digits = key.strip("{}").replace("-", "")
    mask = bytes.fromhex(digits)[::-1]
    head = bytes(b ^ mask[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


def embedding_refusal(face: fonts.Face) -> str:
    """Why ``face`` may not be embedded in an editable document ("" when it may).

    A bundled face by its licence (OFL-1.1 allows it) and its fsType; another face by its OS/2
    fsType, its vendor's embedding licence: Installable or Editable embedding only (Preview &
    Print is for read-only documents, a DOCX is edited), and neither "no subsetting" nor
    "bitmap only".
    """
    if face.bundled_key and face.licence not in EMBEDDABLE_LICENCES:
        return f"its licence ({face.licence}) does not allow embedding"
    os2 = face.hb_face.reference_table("OS/2").data
    fs_type = struct.unpack(">H", os2[8:10])[0] if len(os2) >= 10 else 0
    usage = fs_type & 0x000F
    if usage and not usage & _EDITABLE:
        if usage & _PREVIEW_PRINT:
            return "its OS/2 fsType allows preview-and-print embedding only (read-only documents)"
        return "its OS/2 fsType is Restricted License embedding"
    if fs_type & _NO_SUBSETTING:
        return "its OS/2 fsType forbids subsetting"
    if fs_type & _BITMAP_ONLY:
        return "its OS/2 fsType allows bitmap embedding only"
    return ""


def _chars_by_role(
    doc: Document, options: WriteOptions
) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """The characters each font role sets in the DOCX (its styles give each block a role), and
    those of each role that may be set bold by direct formatting: every character of a block
    holding strong text (a superset of the strong runs', whatever role they fall in)."""
    from exporter.writers.html.xhtml import inline_contents, role_texts

    texts: dict[str, list[str]] = {"page_number": [_PAGE_TEXT]}
    strong: dict[str, list[str]] = {}
    prev: Block | None = None
    for block in doc.blocks:
        bold = any(_has_strong(content) for content in inline_contents(block))
        for role, text in role_texts(block, prev, options.profile):
            texts.setdefault(role, []).append(text)
            if bold:
                strong.setdefault(role, []).append(text)
        prev = block
    # Table headers are set in the heading face at the body size (styles.TableHeading).
    head = block_style("heading1", options.profile).role
    for by_role in (texts, strong):
        if head != "heading1" and "heading1" in by_role:
            by_role.setdefault(head, []).extend(by_role.pop("heading1"))
    return (
        {role: distinct("".join(t)) for role, t in texts.items()},
        {role: distinct("".join(t)) for role, t in strong.items()},
    )


def _has_strong(content: Inlines) -> bool:
    for item in content:
        if isinstance(item, Strong):
            return True
        if isinstance(item, Emphasis | Strike | Link | Note) and _has_strong(item.content):
            return True
    return False


def distinct(text: str) -> set[str]:
    """The characters of ``text``, as ``set(text)``, in a quarter of its time on a novel: the
    characters of a slice are removed from the rest by a compiled class (in C), so Python
    touches only a few slices, not every one of millions of characters. What is left holds
    none of the characters seen before, so each round's class holds only the new ones."""
    seen: set[str] = set()
    while text:
        new = set(text[:_SLICE])
        seen |= new
        if len(text) <= _SLICE:
            break
        text = re.compile("[" + "".join(map(re.escape, new)) + "]+").sub("", text)
    return seen


#: Characters taken into the set per round of ``distinct`` (on 红楼梦: 20,000 took 29 ms,
#: 50,000 21 ms, 100,000 24 ms; ``set(text)`` 91 ms).
_SLICE = 50_000


def _rename(data: bytes, family: str, bold: bool, face: fonts.Face) -> bytes:
    """The subset named as the family the styles use (name IDs 1, 2, 4 in English and Chinese),
    so that Word, WPS and LibreOffice take it for that family; its PostScript name, copyright
    and licence records stay the face's own. Only the name table is rebuilt, the other tables
    are copied as they are."""
    style = "Bold" if bold else "Regular"
    full = f"{family} Bold" if bold else family
    records = [
        (3, 1, lang, name_id, value)
        for lang in (0x0409, 0x0804)
        for name_id, value in ((1, family), (2, style), (4, full))
    ]
    for name_id in (13, 14):  # OFL-1.1 §2: the licence travels with the font
        value = str(face.hb_face.get_name(name_id) or "")
        if value:
            records.append((3, 1, 0x0409, name_id, value))
    tables = _tables(data)
    out: dict[bytes, tuple[bytes, int | None]] = dict(tables)
    out[b"name"] = (_name_table(tables[b"name"][0], records, _RENAMED), None)
    return _sfnt(data[:4], out)


#: Name IDs the subset replaces or drops: family, subfamily, full name, licence and its URL,
#: typographic family and subfamily (OpenType 1.9 "name": Name IDs).
_RENAMED = frozenset({1, 2, 4, 13, 14, 16, 17})


def _name_table(
    old: bytes, records: list[tuple[int, int, int, int, str]], drop: frozenset[int]
) -> bytes:
    """A format 0 name table: ``old``'s records but those with a name ID in ``drop`` (and
    format 1 language-tag records), plus ``records`` (platform, encoding, language, name ID,
    text; Windows Unicode, UTF-16BE), sorted as OpenType 1.9 "name" requires, equal strings
    stored once. Written here rather than with fontTools: its name table module costs a
    conversion about 0.1 s of imports."""
    _, count, storage = struct.unpack(">HHH", old[:6])
    kept: list[tuple[tuple[int, int, int, int], bytes]] = []
    for i in range(count):
        pid, eid, lid, nid, length, offset = struct.unpack(">6H", old[6 + 12 * i : 18 + 12 * i])
        if nid not in drop and lid < 0x8000:
            kept.append(((pid, eid, lid, nid), old[storage + offset : storage + offset + length]))
    kept += [((p, e, lang, n), text.encode("utf-16-be")) for p, e, lang, n, text in records]
    kept.sort(key=lambda r: r[0])
    pool = bytearray()
    where: dict[bytes, int] = {}
    directory = []
    for key, blob in kept:
        offset = where.setdefault(blob, len(pool))
        if offset == len(pool):
            pool += blob
        directory.append(struct.pack(">6H", *key, len(blob), offset))
    return struct.pack(">HHH", 0, len(kept), 6 + 12 * len(kept)) + b"".join(directory) + pool


def _tables(data: bytes) -> dict[bytes, tuple[bytes, int]]:
    """An sfnt's tables by tag, each with its directory checksum (OpenType 1.9 "Organization
    of an OpenType font")."""
    count = struct.unpack(">H", data[4:6])[0]
    out = {}
    for i in range(count):
        tag, checksum, offset, length = struct.unpack(">4sIII", data[12 + 16 * i : 28 + 16 * i])
        out[tag] = (data[offset : offset + length], checksum)
    return out


def _checksum(data: bytes) -> int:
    padded = data + b"\0" * (-len(data) % 4)
    total: int = sum(struct.unpack(f">{len(padded) // 4}I", padded))
    return total & 0xFFFFFFFF


def _sfnt(version: bytes, tables: Mapping[bytes, tuple[bytes, int | None]]) -> bytes:
    """An sfnt of ``tables`` (data, checksum or None to compute) in tag order, 4-byte aligned,
    with head's checkSumAdjustment (OpenType 1.9 "head": 0xB1B0AFBA minus the font's checksum,
    which is the directory's checksum plus every table's, the tables being zero-padded)."""
    tags = sorted(tables)
    count = len(tags)
    power = 1 << (count.bit_length() - 1)
    header = version + struct.pack(">HHHH", count, power * 16, power.bit_length() - 1,
                                   count * 16 - power * 16)  # fmt: skip
    head = bytearray(tables[b"head"][0])
    head[8:12] = b"\0\0\0\0"
    body = {**tables, b"head": (bytes(head), None)}
    directory, blobs = [], []
    offset = 12 + 16 * count
    total = 0
    for tag in tags:
        blob, checksum = body[tag]
        if checksum is None:
            checksum = _checksum(blob)
        total += checksum
        directory.append(struct.pack(">4sIII", tag, checksum, offset, len(blob)))
        blob += b"\0" * (-len(blob) % 4)
        blobs.append(blob)
        offset += len(blob)
    front = header + b"".join(directory)
    adjust = (0xB1B0AFBA - _checksum(front) - total) & 0xFFFFFFFF
    head[8:12] = struct.pack(">I", adjust)
    blobs[tags.index(b"head")] = bytes(head) + b"\0" * (-len(head) % 4)
    return front + b"".join(blobs)


_cache: dict[tuple[str, str, bool, str], tuple[bytes, str]] = {}


def wanted_fonts(
    doc: Document,
    options: WriteOptions,
    families: Mapping[str, tuple[str, bool]],
    extra: Iterable[tuple[str, str]] = (),
) -> dict[tuple[str, bool], tuple[fonts.Face, set[str]]]:
    """What :func:`build` subsets for a DOCX: for each East Asian family the styles name
    (``families``: role -> (w:font name, bold)), (w:font name, bold) -> (the role's face, the
    characters set in it). Empty when ``options.embed_fonts`` is off.

    Each face holds the characters set in it: a bold face those of the roles its family sets
    bold, and of blocks with strong text in the family's other roles (Word draws a run with
    ``w:b`` in the family's bold face; Word's own ``w:saveSubsetFonts`` keeps the characters
    each face sets). A family without a bold face draws strong text with its regular face,
    which holds those characters already. ``extra``: (role, text) set outside the blocks (a
    公文's 版头 and 版记). :func:`build` reports a face its licence or fsType keeps out.
    """
    if not options.embed_fonts:
        return {}
    fontset = fonts.fontset_for(options, doc.meta.language)
    chars, strong = _chars_by_role(doc, options)
    for role, text in extra:
        chars.setdefault(role, set()).update(text)
    wanted: dict[tuple[str, bool], tuple[fonts.Face, set[str]]] = {}
    for role, (family, bold) in families.items():
        used = chars.get(role)
        if not used:
            continue
        face = fontset.face(role)
        entry = wanted.setdefault((family, bold), (face, set()))
        if entry[0] is face:
            entry[1].update(used)
    for role, used in strong.items():
        if role in families:
            bold_face = wanted.get((families[role][0], True))
            if bold_face is not None:
                bold_face[1].update(used)
    return wanted


def build(wanted: Mapping[tuple[str, bool], tuple[fonts.Face, set[str]]]) -> list[EmbeddedFont]:
    """The font parts for ``wanted``: (w:font name, bold) -> (face, characters set in it)."""
    out: list[EmbeddedFont] = []
    for n, ((family, bold), (face, used)) in enumerate(sorted(wanted.items()), start=1):
        reason = embedding_refusal(face)
        if reason:
            diagnostics.warn(
                "font-not-embedded",
                f"DOCX: {face.full_name} ({family}) is not embedded: {reason}",
                font=str(face.file),
                family=family,
            )
            continue
        if face.deferred:
            used = used - {chr(c) for c in face.deferred}
        text = "".join(sorted(used))
        data, key = _subset(face, text, family, bold)
        out.append(
            EmbeddedFont(family, bold, f"word/fonts/font{n}.odttf", f"rIdFont{n}", key, data)
        )
    return out


def _subset(face: fonts.Face, text: str, family: str, bold: bool) -> tuple[bytes, str]:
    """The renamed subset and its font key, kept for the process (a batch embeds the same
    faces again and again)."""
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    cache_key = (str(face.file), family, bold, digest)
    made = _cache.get(cache_key)
    if made is None:
        data = _rename(face.subset(text), family, bold, face)
        made = (data, font_key(data))
        if len(_cache) > 64:
            _cache.clear()
        _cache[cache_key] = made
    return made
