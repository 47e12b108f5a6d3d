"""Structure detection: normalised lines -> blocks (title, lead, headings, verse, signature, …).

Heuristics follow the layouts of real Chinese files; where a rule is unsure it keeps the text as
plain paragraphs rather than inventing structure.
"""

from __future__ import annotations

from exporter.reader.structure.draft import Found, Parsed
from exporter.reader.structure.language import detect_language
from exporter.reader.structure.parse import parse_lines

__all__ = ["Found", "Parsed", "detect_language", "parse_lines"]
