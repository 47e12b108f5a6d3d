"""Front matter: a ``---`` block of ``key: value`` lines at the very top of the text."""

from __future__ import annotations

from exporter.reader.meta import META_KEYS

#: How far down the closing ``---`` may be: a front-matter block is a few keys, so a ``---`` line
#: further down is a thematic break in the text, not the end of a block.
MAX_FRONT_MATTER_LINES = 60


def front_matter(lines: list[str]) -> tuple[dict[str, str], list[str], list[str]]:
    """A ``---`` block of ``key: value`` lines at the very top -> (values, remaining, dropped).

    Anything else in the block (an unknown key, a line without a colon) means it is not front
    matter after all, and every line stays text.
    """
    if not lines or lines[0].strip() != "---":
        return {}, lines, []
    for end in range(1, min(len(lines), MAX_FRONT_MATTER_LINES)):
        if lines[end].strip() in ("---", "..."):
            values: dict[str, str] = {}
            for line in lines[1:end]:
                if not line.strip():
                    continue
                # A clerk typing Chinese keys writes the full-width colon: 发文机关：…
                colon = min((i for i in (line.find(":"), line.find("：")) if i >= 0), default=-1)
                key, sep, value = line[:colon], line[colon : colon + 1], line[colon + 1 :]
                if not sep or key.strip().lower() not in META_KEYS:
                    return {}, lines, []
                values[key.strip().lower()] = value.strip().strip("\"'")
            return values, lines[end + 1 :], lines[: end + 1]
    return {}, lines, []
