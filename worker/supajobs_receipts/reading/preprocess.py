"""Image clean-up before OCR: grayscale, crop to the paper and text, deskew, scale, denoise."""

from __future__ import annotations

import io
import warnings

import numpy as np
from PIL import Image, ImageFilter, ImageOps, ImageStat

from .errors import UnreadableReason, UnreadableReceipt

TARGET_LINE_PX = 48  # Tesseract reads best with text rows of roughly 30-50 px
MAX_SIDE_PX = 4000


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


def _ink(img: Image.Image) -> np.ndarray:
    """Boolean mask of dark pixels, computed on a median-filtered copy so noise is not ink."""
    arr = np.asarray(img.filter(ImageFilter.MedianFilter(3)), dtype=np.uint8)
    return arr < 128


def crop_to_content(img: Image.Image, margin: int = 12) -> Image.Image:
    """Drop the desk around the paper, then the empty paper around the text."""
    arr = np.asarray(img.filter(ImageFilter.MedianFilter(5)), dtype=np.uint8)
    paper = arr > 170
    rows, cols = np.flatnonzero(paper.mean(axis=1) > 0.5), np.flatnonzero(paper.mean(axis=0) > 0.5)
    if rows.size and cols.size:
        img = img.crop((int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1))
    ink = _ink(img)
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if not rows.size:
        return img
    box = (max(0, int(cols[0]) - margin), max(0, int(rows[0]) - margin),
           min(img.width, int(cols[-1]) + margin + 1), min(img.height, int(rows[-1]) + margin + 1))
    return img.crop(box)


def _line_height(ink: np.ndarray) -> float | None:
    """Median height of the horizontal bands that hold ink (the text rows)."""
    on = ink.any(axis=1).astype(np.int8)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], on, [0]))))
    heights = edges[1::2] - edges[0::2]
    heights = heights[heights >= 3]
    return float(np.median(heights)) if heights.size else None


def deskew(img: Image.Image, max_degrees: float = 5.0) -> Image.Image:
    """Rotate by the small angle that makes text rows sharpest (projection-profile method)."""
    small = img.copy()
    small.thumbnail((600, 600))
    ink = Image.fromarray((_ink(small) * 255).astype(np.uint8))
    best, best_score = 0.0, -1.0
    for angle in np.arange(-max_degrees, max_degrees + 0.01, 0.5):
        rotated = np.asarray(ink.rotate(float(angle), expand=True), dtype=np.float32)
        score = float(np.var(rotated.sum(axis=1)))
        if score > best_score:
            best, best_score = float(angle), score
    if abs(best) < 0.25:
        return img
    return img.rotate(best, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)


def scale_for_ocr(img: Image.Image) -> Image.Image:
    height = _line_height(_ink(img))
    factor = TARGET_LINE_PX / height if height else 1.0
    factor = min(factor, 4.0, MAX_SIDE_PX / max(img.size))
    if 0.85 < factor < 1.15:
        return img
    size = (max(1, round(img.width * factor)), max(1, round(img.height * factor)))
    return img.resize(size, Image.Resampling.LANCZOS)


def clean(img: Image.Image) -> Image.Image:
    """Contrast stretch and a median filter against sensor and JPEG noise."""
    img = ImageOps.autocontrast(img, cutoff=1)
    return img.filter(ImageFilter.MedianFilter(3))
