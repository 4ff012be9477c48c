"""Pictures as a PDF/A page may show them: 8-bit RGB (or grey), colours in sRGB.

A CMYK JPEG or a picture with its own colour profile would put a device-dependent colour
space on the page, which a PDF/A file with an sRGB output intent must not have; the
conversion happens once per logo and the result is cached.
"""

from __future__ import annotations

from contextlib import suppress
from functools import lru_cache
from io import BytesIO

from PIL import Image, ImageCms
from reportlab.lib.utils import ImageReader


@lru_cache(maxsize=8)
def srgb_png(data: bytes) -> bytes:
    """The picture re-encoded as PNG in sRGB, its transparency kept."""
    with Image.open(BytesIO(data)) as source:
        source.load()
        has_alpha = source.mode in ("RGBA", "LA", "PA") or "transparency" in source.info
        alpha = source.convert("RGBA").getchannel("A") if has_alpha else None
        colour = source
        if colour.mode not in ("RGB", "CMYK", "L"):
            colour = colour.convert("RGB")
        profile = source.info.get("icc_profile")
        if profile:
            # A broken profile: the numbers are read as sRGB.
            with suppress(ImageCms.PyCMSError, OSError):
                colour = ImageCms.profileToProfile(
                    colour, ImageCms.ImageCmsProfile(BytesIO(profile)),
                    ImageCms.createProfile("sRGB"), outputMode="RGB") or colour
        colour = colour.convert("RGB")
        if alpha is not None:
            colour.putalpha(alpha)
        out = BytesIO()
        colour.save(out, format="PNG")
        return out.getvalue()


def srgb_image(data: bytes) -> ImageReader:
    return ImageReader(BytesIO(srgb_png(data)))
