"""PDF/A-2b and 3b (ISO 19005-2/-3): the typeset PDF made archival with pikepdf."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from exporter import __version__
from exporter.errors import WriterError
from exporter.model import Document
from exporter.options import WriteOptions
from exporter.record import record
from exporter.writers._dates import document_datetime
from exporter.writers._provenance import SourceFile, current_source, provenance

#: Names of the associated files a 3b PDF carries besides the source (ISO 19005-3 §6.8).
MODEL_NAME = "document.json"
MODEL_MIME = "application/json"


def source_mime(name: str) -> str:
    """The source's MIME type (RFC 7763 for Markdown, RFC 2046 text/plain otherwise)."""
    lower = name.lower()
    return "text/markdown" if lower.endswith((".md", ".markdown")) else "text/plain"


def creator_tool(doc: Document, options: WriteOptions) -> str:
    """How the file was made, for an archivist: exporter's version, its options, the source."""
    pairs = provenance(doc, options, "pdf")
    return "; ".join([pairs[0][1], *(f"{k}={v}" for k, v in pairs[1:])])


def make_pdfa(
    pdf_bytes: bytes,
    doc: Document,
    options: WriteOptions,
    title: str,
    when: datetime | None,
) -> bytes:
    """The PDF/A form of ``pdf_bytes``: an sRGB OutputIntent, XMP, and /AF files (3b)."""
    import pikepdf

    # pikepdf.pdfa.prepare would do the intent and the annotation flags, but importing the
    # validator behind it costs 0.15 s a process; what this document needs is done here, and
    # the tests validate the result with pikepdf.pdfa.
    flavour = options.pdfa or "2b"
    source = current_source()
    pdf = pikepdf.open(io.BytesIO(pdf_bytes))
    for page in pdf.pages:
        # reportlab writes an empty /Trans on every page: a presentation effect no archive needs
        if "/Trans" in page.obj:
            del page.obj["/Trans"]
        for annot in page.obj.get("/Annots", []):
            # ISO 19005-2 §6.3.2: Print set; Hidden, Invisible, NoView, ToggleNoView clear
            annot.F = (int(annot.get("/F", 0)) | 4) & ~(1 | 2 | 32 | 256)
    if flavour == "3b":
        _associate(pdf, doc, source, when)
    _output_intent(pdf)
    _xmp(pdf, doc, options, source, title, when)
    out = io.BytesIO()
    pdf.save(
        out,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        stream_decode_level=pikepdf.StreamDecodeLevel.generalized,
        **_SAVE,
    )
    return out.getvalue()


#: pikepdf.pdfa.resolve_save_kwargs(flavour, deterministic_id=True) for 2b and 3b: the qpdf
#: settings the validator pins (decoded as the validator reads them, no linearization, object
#: streams generated), and a document ID derived from the content, so the bytes are stable.
_SAVE: dict[str, Any] = {
    "compress_streams": True,
    "recompress_flate": False,
    "linearize": False,
    "deterministic_id": True,
    "static_id": False,
    "preserve_pdfa": True,
    "qdf": False,
    "normalize_content": False,
    "fix_metadata_version": False,
}


def _output_intent(pdf: Any) -> None:
    """The one PDF/A OutputIntent (ISO 19005-2 §6.2.3), with the sRGB profile pikepdf ships."""
    from pathlib import Path

    import pikepdf
    from pikepdf import Array, Dictionary, Name, String

    icc = (Path(pikepdf.__file__).parent / "pdfa" / "data" / "sRGB.icc").read_bytes()
    profile = pdf.make_stream(icc)
    profile.N = 3
    pdf.Root.OutputIntents = Array(
        [
            Dictionary(
                Type=Name.OutputIntent,
                S=Name.GTS_PDFA1,
                OutputConditionIdentifier=String("sRGB"),
                Info=String("sRGB IEC61966-2.1"),
                DestOutputProfile=profile,
            )
        ]
    )


def _pdf_date(when: datetime) -> str:
    return when.strftime("D:%Y%m%d%H%M%S+00'00'")


def _associate(pdf: Any, doc: Document, source: SourceFile | None, when: datetime | None) -> None:
    """Embed the source (AFRelationship /Source) and the model JSON (/Data), ISO 19005-3 §6.8."""
    from pikepdf import Array, Dictionary, Name, String

    from exporter.model.serialize import dumps

    files: list[tuple[str, bytes, str, str, str]] = []
    if source is not None:
        files.append(
            (source.name, source.data, source_mime(source.name), "/Source", "the source text")
        )
    model = dumps(doc).encode("utf-8")
    files.append((MODEL_NAME, model, MODEL_MIME, "/Data", "the document model (exporter JSON)"))
    names = Array()
    specs = Array()
    for name, data, mime, relation, desc in sorted(files):
        params = Dictionary(Size=len(data))
        if when is not None:
            params.ModDate = String(_pdf_date(when))
        stream = pdf.make_stream(data)
        stream.Type = Name.EmbeddedFile
        stream.Subtype = Name("/" + mime)
        stream.Params = params
        spec = pdf.make_indirect(
            Dictionary(
                Type=Name.Filespec,
                F=String(name),
                UF=String(name),
                Desc=String(desc),
                AFRelationship=Name(relation),
                EF=Dictionary(F=stream, UF=stream),
            )
        )
        names.append(String(name))
        names.append(spec)
        specs.append(spec)
    if "/Names" not in pdf.Root:
        pdf.Root.Names = Dictionary()
    pdf.Root.Names.EmbeddedFiles = Dictionary(Names=names)
    pdf.Root.AF = specs


def _xmp(
    pdf: Any,
    doc: Document,
    options: WriteOptions,
    source: SourceFile | None,
    title: str,
    when: datetime | None,
) -> None:
    """XMP that says what the Info dictionary says, and nothing that is not known."""
    meta = doc.meta
    authors = list(meta.authors) or [a for a in (meta.source or meta.publisher,) if a]
    tool = creator_tool(doc, options)
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
        xmp["pdfaid:part"] = (options.pdfa or "2b")[0]
        xmp["pdfaid:conformance"] = "B"
        for key in ("xmp:MetadataDate", "xmp:CreateDate", "xmp:ModifyDate"):
            if key in xmp:
                del xmp[key]
        if title:
            xmp["dc:title"] = title
        if authors:
            xmp["dc:creator"] = authors
        if meta.subject or meta.subtitle:
            xmp["dc:description"] = meta.subject or meta.subtitle
        xmp["dc:language"] = [meta.language or "zh-CN"]
        if meta.publisher:
            xmp["dc:publisher"] = [meta.publisher]
        if meta.identifier:
            xmp["dc:identifier"] = meta.identifier
        if source is not None:
            xmp["dc:source"] = source.name
        if document_datetime(doc) is not None:
            xmp["dc:date"] = [meta.date[:10]]
        xmp["xmp:CreatorTool"] = tool
        xmp["pdf:Producer"] = f"exporter {__version__}"
        if when is not None:
            stamp = when.strftime("%Y-%m-%dT%H:%M:%S+00:00")
            xmp["xmp:CreateDate"] = stamp
            xmp["xmp:ModifyDate"] = stamp
            xmp["xmp:MetadataDate"] = stamp
    info = pdf.docinfo
    info["/Creator"] = tool
    info["/Producer"] = f"exporter {__version__}"
    if not authors and "/Author" in info:
        del info["/Author"]
    for key in ("/Subject", "/Keywords"):
        if key in info and not str(info[key]):
            del info[key]
    if when is None:
        for key in ("/CreationDate", "/ModDate"):
            if key in info:
                del info[key]
    else:
        info["/CreationDate"] = _pdf_date(when)
        info["/ModDate"] = _pdf_date(when)


@record
class Associated:
    """A file a PDF/A-3 carries: its name, relationship (``Source``, ``Data``…), MIME type, bytes."""

    name: str
    relationship: str
    mime: str
    data: bytes


def associated_files(pdf_bytes: bytes) -> list[Associated]:
    """The associated files (/AF of the catalog) of a PDF, in their order; WriterError if unreadable."""
    import pikepdf

    try:
        pdf = pikepdf.open(io.BytesIO(pdf_bytes))
    except pikepdf.PdfError as exc:
        raise WriterError(f"not a readable PDF: {exc}") from None
    out: list[Associated] = []
    for spec in pdf.Root.get("/AF", []):
        name = str(spec.get("/UF", spec.get("/F", "")))
        stream = spec.EF.get("/UF", spec.EF.get("/F"))
        if stream is None:
            continue
        relation = str(spec.get("/AFRelationship", "/Unspecified"))[1:]
        mime = str(stream.get("/Subtype", "/application/octet-stream"))[1:]
        out.append(Associated(name, relation, mime, stream.read_bytes()))
    return out
