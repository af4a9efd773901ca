"""Image clean-up before OCR: grayscale, crop to the paper and text, deskew, scale, denoise."""

from __future__ import annotations

import io
import warnings

import numpy as np
from PIL import Image, ImageFilter, ImageOps, ImageStat

from .errors import UnreadableReason, UnreadableReceipt
from .paper import coarse_ink, ink_mask, without_border_ink

# Text rows of about 36 px: as accurate on the corpus as 48 px, and a fifth less OCR time
# (docs/reading.md).
TARGET_LINE_PX = 36
MAX_SIDE_PX = 4000
TEXT_ROW_SHARE = 0.02


def load_image(data: bytes, max_pixels: int) -> Image.Image:
    """Decode to 8-bit grayscale, honouring the EXIF orientation of phone photos."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img: Image.Image = Image.open(io.BytesIO(data))
            if img.width * img.height > max_pixels:
                raise UnreadableReceipt(UnreadableReason.TOO_LARGE,
                                        f"the image has {img.width}x{img.height} pixels")
            img.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise UnreadableReceipt(UnreadableReason.TOO_LARGE, str(exc)) from exc
    except (OSError, ValueError, SyntaxError) as exc:
        reason = UnreadableReason.CORRUPT_IMAGE
        raise UnreadableReceipt(reason, f"cannot decode image: {exc}") from exc
    if img.width < 8 or img.height < 8:
        size = f"{img.width}x{img.height}"
        raise UnreadableReceipt(UnreadableReason.EMPTY_IMAGE, f"the image is only {size} pixels")
    img = ImageOps.exif_transpose(img)
    if img.mode in ("RGBA", "LA", "P"):
        img = img.convert("RGBA")
        white = Image.new("RGBA", img.size, (255, 255, 255, 255))
        img = Image.alpha_composite(white, img)  # transparent areas are paper, not ink
    return img.convert("L")


def ensure_not_blank(img: Image.Image) -> None:
    extrema = img.getextrema()
    low, high = float(extrema[0]), float(extrema[1])  # type: ignore[arg-type]
    if high - low < 24 or ImageStat.Stat(img).stddev[0] < 2.0:
        raise UnreadableReceipt(UnreadableReason.EMPTY_IMAGE, "the image is blank (one colour)")


def _line_height(ink: np.ndarray) -> float | None:
    """Median height of the horizontal bands that hold ink (the text rows)."""
    # A row holds text when more than a speck of it is ink: the paper's tilted edge leaves a
    # thin line through every row, which would make the whole page one band.
    on = (ink.mean(axis=1) > TEXT_ROW_SHARE).astype(np.int8)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], on, [0]))))
    heights = edges[1::2] - edges[0::2]
    heights = heights[heights >= 3]
    return float(np.median(heights)) if heights.size else None


def _sharpest(ink: Image.Image, angles: np.ndarray) -> float:
    """The angle whose rotation gives the most contrasted row profile (text rows level)."""
    scores = [float(np.var(np.asarray(ink.rotate(float(a), expand=True), np.float32).sum(axis=1)))
              for a in angles]
    return float(angles[int(np.argmax(scores))])


def deskew(img: Image.Image, max_degrees: float = 10.0) -> Image.Image:
    """Rotate by the small angle that makes text rows sharpest (projection-profile method):
    1-degree steps over the range, then quarter degrees around the best."""
    small = img.copy()
    small.thumbnail((600, 600))
    ink = Image.fromarray((without_border_ink(ink_mask(small)) * 255).astype(np.uint8))
    coarse = _sharpest(ink, np.arange(-max_degrees, max_degrees + 0.01, 1.0))
    best = _sharpest(ink, np.arange(coarse - 0.75, coarse + 0.76, 0.25))
    if abs(best) < 0.25:
        return img
    return img.rotate(best, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)


def scale_for_ocr(img: Image.Image) -> Image.Image:
    step = 2 if min(img.size) >= 32 else 1
    coarse = _line_height(coarse_ink(img, step))
    height = coarse * step if coarse else None
    factor = TARGET_LINE_PX / height if height else 1.0
    factor = min(factor, 4.0, MAX_SIDE_PX / max(img.size))
    if 0.85 < factor < 1.15:
        return img
    size = (max(1, round(img.width * factor)), max(1, round(img.height * factor)))
    return img.resize(size, Image.Resampling.LANCZOS)


def denoise(img: Image.Image) -> Image.Image:
    """A median filter against sensor and JPEG noise, on the image as Tesseract gets it."""
    return img.filter(ImageFilter.MedianFilter(3))
