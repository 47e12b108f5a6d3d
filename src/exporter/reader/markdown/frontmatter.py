"""A Markdown file's YAML front matter -> metadata values, for the keys the text reader knows.

Only the YAML a front-matter block holds in practice is read (no YAML library): ``key: value``
lines, a value in quotes, a flow list ``[a, b]`` and a block list of ``- item`` lines under a
key. Lists become one value joined with 、 (apply_meta splits authors on it). Keys that are not
metadata (tags, layout, …) are left out and named in one warning.
"""

from __future__ import annotations

import re

from exporter import diagnostics
from exporter.reader.meta import META_KEYS

# A key is a name (Chinese ones too: 发文机关); after a full-width colon no space is needed.
_KEY = re.compile(r"^([^\W\d][\w-]*)\s*(?::(?:\s+(.*)|\s*)|：\s*(.*))$")
_ITEM = re.compile(r"^\s+-\s+(.*)$|^-\s+(.*)$")


def _scalar(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    if " #" in value:  # a YAML comment after a plain scalar
        value = value.split(" #", 1)[0].rstrip()
    return value


def _value(raw: str) -> str:
    raw = raw.strip()
    if raw.startswith("[") and raw.endswith("]"):
        return "、".join(s for s in (_scalar(p) for p in raw[1:-1].split(",")) if s)
    return _scalar(raw)


def front_matter_values(block: str, name: str) -> dict[str, str]:
    """The metadata values of a front-matter block's text (keys lower case, as META_KEYS)."""
    values: dict[str, str] = {}
    items: dict[str, list[str]] = {}
    ignored: list[str] = []
    key = ""
    for line in block.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item = _ITEM.match(line)
        if item and key:
            items.setdefault(key, []).append(_scalar(item.group(1) or item.group(2) or ""))
            continue
        found = _KEY.match(line)
        if found is None:
            if not line[0].isspace():  # not a key, nor inside one: say so
                ignored.append(line.strip()[:30])
            continue
        key = found.group(1).lower()
        if key not in META_KEYS:
            ignored.append(found.group(1))
            key = ""
            continue
        raw = found.group(2) or found.group(3)
        if raw:
            values[key] = _value(raw)
    for key, listed in items.items():
        if key not in values or not values[key]:
            values[key] = "、".join(s for s in listed if s)
    if ignored:
        diagnostics.warn(
            "front-matter-ignored",
            f"{name}: front matter {', '.join(ignored)} ignored (not metadata keys)",
            keys=ignored,
        )
    return {k: v for k, v in values.items() if v}
