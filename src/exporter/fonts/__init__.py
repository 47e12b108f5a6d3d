"""Fonts: font files and bundled faces, roles and fallback, coverage checks, subsets."""

from exporter.fonts.chars import charset, is_ignorable
from exporter.fonts.choice import Choice, choose
from exporter.fonts.convert import cff_to_glyf
from exporter.fonts.coverage import Uncovered, check_document, report_uncovered
from exporter.fonts.files import BUNDLED, Face, FontFile, bundled_dir, bundled_file
from exporter.fonts.fontset import FontSet, fontset_for, role_of
from exporter.fonts.system import system_faces

__all__ = [
    "BUNDLED",
    "Choice",
    "Face",
    "FontFile",
    "FontSet",
    "Uncovered",
    "bundled_dir",
    "bundled_file",
    "cff_to_glyf",
    "charset",
    "check_document",
    "choose",
    "fontset_for",
    "is_ignorable",
    "report_uncovered",
    "role_of",
    "system_faces",
]
