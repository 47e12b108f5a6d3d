"""PDF pictures: an embedded PNG or JPEG resource sized to fit the type area."""

from __future__ import annotations

import io

from exporter.model import Resource
from exporter.writers.pdf.layout import Picture

#: Media types drawn as pictures; any other image keeps only its alt text.
DRAWN = ("image/png", "image/jpeg")
#: Points per pixel: a pixel is 1/96 inch (CSS px), as browsers and word processors size images
#: that carry no resolution.
_PT_PER_PX = 0.75


def fit_picture(res: Resource, width: float, height: float) -> Picture | None:
    """``res`` at its natural size, scaled down (never up) to ``width`` x ``height`` points,
    aspect ratio kept, centred across ``width``; None when it is not a readable PNG or JPEG."""
    if res.media_type not in DRAWN:
        return None
    try:
        from reportlab.lib.utils import ImageReader

        px_w, px_h = ImageReader(io.BytesIO(res.data)).getSize()
    except Exception:
        return None  # unreadable bytes: the alt text stands, as for a missing image
    if px_w <= 0 or px_h <= 0:
        return None
    w, h = px_w * _PT_PER_PX, px_h * _PT_PER_PX
    scale = min(1.0, width / w, height / h)
    w, h = w * scale, h * scale
    return Picture(res.data, w, h, (width - w) / 2)
