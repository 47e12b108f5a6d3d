"""Layout measurements of the PDF writer over a corpus, from glyph positions (pdfplumber).

For each text file: converts it in process, then measures every full line (a line that does
not end its paragraph) on the page grid, the way the tests do. With ``--profile gongwen``
(GB/T 9704: 28 cells x 22 lines) a full line is *exact* when it fills 28 cells inside the type
area with every Han glyph on a half-cell boundary, *hung* when a closing mark also hangs past
the edge, and *stretched* when a character had to go down and the line was justified. Pages
report the grid row of their last line. With ``--checker PATH`` it also runs
``pdf_layout_check.py`` and shows its counts beside ours.

Usage: python benchmarks/layout.py [FOLDER] [--profile gongwen|standard] [--checker PATH]
(FOLDER defaults to tests/fixtures/real; needs the test extra for pdfplumber).
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import pdfplumber

from exporter import api
from exporter.options import MM
from exporter.typesetting.linebreak import HANGING


def rows(page: Any) -> list[list[dict[str, Any]]]:
    chars = sorted((c for c in page.chars if c["text"].strip()), key=lambda c: (c["top"], c["x0"]))
    out: list[list[dict[str, Any]]] = []
    for c in chars:
        if out and abs(out[-1][0]["top"] - c["top"]) < 2.5:
            out[-1].append(c)
        else:
            out.append([c])
    return [sorted(r, key=lambda c: c["x0"]) for r in out]


def measure(pdf_bytes: bytes, profile: Any) -> dict[str, Any]:
    left = profile.margin_left_mm * MM
    width = profile.text_width_mm * MM
    right = left + width
    top = profile.margin_top_mm * MM
    bottom = top + profile.text_height_mm * MM
    grid = profile.chars_per_line is not None
    cell = width / profile.chars_per_line if profile.chars_per_line else profile.body_size_pt
    half = cell / 2
    lines: Counter[str] = Counter()
    last_rows: Counter[int] = Counter()
    body: list[list[dict[str, Any]]] = []
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        for page in pdf.pages:
            page_rows = [r for r in rows(page) if r[0]["top"] < bottom]
            body += page_rows
            if grid and page_rows:
                pitch = profile.text_height_mm * MM / profile.lines_per_page
                last_rows[round((page_rows[-1][0]["top"] - top) / pitch) + 1] += 1
    size = max(Counter(round(c["size"]) for r in body for c in r).items(), key=lambda t: t[1])[0]
    for a, b in itertools.pairwise(body):
        if (
            abs(b[0]["x0"] - left) > 1
            or round(a[0]["size"]) != size
            or len(a) < 4
            or all(c["fontname"] != b[0]["fontname"] for c in a)
            or a[0]["x0"] - left > 3 * cell
        ):
            continue  # a paragraph's last line: the next line is indented, or is in another
            # face (附件1 after the body), or this one is centred (a byline); or not body text
        if a[-1]["x0"] >= right - 0.05:
            if a[-1]["text"] not in HANGING:
                lines["overfull"] += 1
                continue
            lines["hung"] += 1
            a = a[:-1]
        end = a[-1]["x1"]
        if end < right - 0.05:  # a glyph's box may overhang by the grid's negative spacing
            lines["ragged"] += 1
            continue
        if not grid:
            lines["justified"] += 1
            continue
        on_grid = all(
            abs(k - round(k)) < 0.01
            for c in a
            if ord(c["text"]) >= 0x2E80
            for k in [(c["x0"] - left) / half]
        )
        lines["exact" if on_grid else "stretched"] += 1
    return {"full_lines": dict(lines), "last_row_of_pages": dict(sorted(last_rows.items()))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folder", nargs="?", default="tests/fixtures/real")
    ap.add_argument("--profile", default="gongwen")
    ap.add_argument("--checker", help="path to pdf_layout_check.py (optional)")
    args = ap.parse_args()
    options = api.write_options(profile=args.profile)
    total: Counter[str] = Counter()
    print(f"{'file':42} {'full lines':>10}  ours (exact/hung/stretched or justified/ragged)")
    for path in sorted(Path(args.folder).glob("*.txt")):
        data = api.write(api.read_file(path), "pdf", options=options)
        assert data is not None
        m = measure(data, options.profile)
        full = m["full_lines"]
        total.update(full)
        line = f"{path.stem[:42]:42} {sum(full.values()) - full.get('hung', 0):>10}  {full}"
        if args.checker:
            with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
                tmp.write(data)
                tmp.flush()
                got = json.loads(
                    subprocess.run(
                        [sys.executable, args.checker, tmp.name],
                        capture_output=True,
                        text=True,
                        check=True,
                    ).stdout
                )
            line += f"  checker: ragged {got['ragged']}, cells {got['chars_per_full_line']}"
        print(line)
    print(f"{'TOTAL':42} {sum(total.values()) - total.get('hung', 0):>10}  {dict(total)}")


if __name__ == "__main__":
    main()
