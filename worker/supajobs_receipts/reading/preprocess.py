"""Image clean-up before OCR: grayscale, crop to the paper and text, deskew, scale, denoise."""

from __future__ import annotations

import io
import warnings

import numpy as np
from PIL import Image, ImageFilter, ImageOps, ImageStat

from .errors import UnreadableReason, UnreadableReceipt

TARGET_LINE_PX = 48  # Tesseract reads best with text rows of roughly 30-50 px
MAX_SIDE_PX = 4000
COARSE_INK_LEVEL = 150  # averaging lightens thin strokes: a coarse mask needs a higher cut


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


def _coarse_ink(img: Image.Image, factor: int) -> np.ndarray:
    """Ink at 1/factor of the size: box-averaging smooths noise like a median, for a fraction
    of its cost (the median filters were a fifth of a read's CPU, docs/benchmarks.md)."""
    small = img.reduce(factor) if factor > 1 and min(img.size) >= 16 * factor else img
    return without_border_ink(np.asarray(small, dtype=np.uint8) < COARSE_INK_LEVEL)


def _leading_run(mask: np.ndarray) -> np.ndarray:
    """Per row, how many pixels from the left edge are ink without a break."""
    run: np.ndarray = np.argmax(~mask, axis=1)
    full: np.ndarray = np.where(mask.all(axis=1), mask.shape[1], run)
    return full


def without_border_ink(ink: np.ndarray) -> np.ndarray:
    """The mask without ink runs that touch the image's edge: the desk's wedges left around a
    tilted or perspective-shot paper, which would merge every text row into one band."""
    if ink.size == 0:
        return ink
    out = ink.copy()
    cols, rows = np.arange(ink.shape[1]), np.arange(ink.shape[0])
    out &= cols[None, :] >= _leading_run(ink)[:, None]
    out &= cols[None, ::-1] >= _leading_run(ink[:, ::-1])[:, None]
    out &= rows[:, None] >= _leading_run(ink.T)[None, :]
    out &= rows[::-1, None] >= _leading_run(ink[::-1, :].T)[None, :]
    return out


def crop_to_content(img: Image.Image, margin: int = 12) -> Image.Image:
    """Drop the desk around the paper, then the empty paper around the text."""
    step = 4 if min(img.size) >= 64 else 1
    coarse = img.reduce(step) if step > 1 else img
    arr = np.asarray(coarse.filter(ImageFilter.MedianFilter(5)), dtype=np.uint8)
    paper = arr > 170
    rows, cols = np.flatnonzero(paper.mean(axis=1) > 0.5), np.flatnonzero(paper.mean(axis=0) > 0.5)
    if rows.size and cols.size:
        img = img.crop((int(cols[0]) * step, int(rows[0]) * step,
                        min(img.width, (int(cols[-1]) + 1) * step),
                        min(img.height, (int(rows[-1]) + 1) * step)))
    step = 2 if min(img.size) >= 32 else 1
    ink = _coarse_ink(img, step)
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if not rows.size:
        return img
    box = (max(0, int(cols[0]) * step - margin), max(0, int(rows[0]) * step - margin),
           min(img.width, (int(cols[-1]) + 1) * step + margin),
           min(img.height, (int(rows[-1]) + 1) * step + margin))
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
    ink = Image.fromarray((without_border_ink(_ink(small)) * 255).astype(np.uint8))
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
    step = 2 if min(img.size) >= 32 else 1
    coarse = _line_height(_coarse_ink(img, step))
    height = coarse * step if coarse else None
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
