"""Ink and paper in a receipt photo: the text's ink without the desk around the paper, and
the paper's uneven lighting taken out."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageFilter, ImageOps


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


def flatten_lighting(img: Image.Image) -> Image.Image:
    """Divide by the paper's own brightness (a heavy blur of a small copy): shadows and uneven
    light go, the paper turns white everywhere and the ink keeps its contrast."""
    factor = max(1, min(img.size) // 64)
    small = img.reduce(factor) if factor > 1 else img
    paper = small.filter(ImageFilter.MaxFilter(5)).filter(ImageFilter.GaussianBlur(6))
    background = np.asarray(paper.resize(img.size, Image.Resampling.BILINEAR), dtype=np.float32)
    ratio = np.asarray(img, dtype=np.float32) / np.maximum(background, 1.0)
    return Image.fromarray(np.clip(ratio * 255.0, 0, 255).astype(np.uint8))


BAND_SHARE = 0.5  # a column inked in over half the rows is a paper edge or a rule, not text


def text_ink(ink: np.ndarray) -> np.ndarray:
    """Ink that can be text: without the desk's wedges at the edges and without long vertical
    or horizontal bands (paper edges, a lit desk's rim, rules)."""
    out = without_border_ink(ink)
    if out.size == 0:
        return out
    out[:, out.mean(axis=0) > BAND_SHARE] = False
    out[out.mean(axis=1) > BAND_SHARE, :] = False
    return out


def ink_level(arr: np.ndarray) -> float:
    """Otsu's cut between ink and paper, kept within sensible bounds: faint thermal print
    is ink at 180, a fixed 128 found no text in it at all."""
    hist = np.bincount(arr.ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    if total == 0:
        return 128.0
    weight = np.cumsum(hist)
    mean = np.cumsum(hist * np.arange(256))
    between = (mean[-1] * weight - mean * total) ** 2 / np.maximum(weight * (total - weight), 1)
    # Levels up to the argmax are ink: "arr < level" wants the next one.
    return float(np.clip(np.argmax(between) + 1, MIN_INK_LEVEL, MAX_INK_LEVEL))


MIN_INK_LEVEL, MAX_INK_LEVEL = 90, 200


COARSE_INK_LIFT = 20  # averaging lightens thin strokes: a coarse mask needs a higher cut


def ink_mask(img: Image.Image) -> np.ndarray:
    """Boolean mask of dark pixels, computed on a median-filtered copy so noise is not ink."""
    arr = np.asarray(img.filter(ImageFilter.MedianFilter(3)), dtype=np.uint8)
    return arr < ink_level(arr)


def coarse_ink(img: Image.Image, factor: int) -> np.ndarray:
    """Ink at 1/factor of the size: box-averaging smooths noise like a median, for a fraction
    of its cost (the median filters were a fifth of a read's CPU, docs/benchmarks.md)."""
    small = img.reduce(factor) if factor > 1 and min(img.size) >= 16 * factor else img
    arr = np.asarray(small, dtype=np.uint8)
    return without_border_ink(arr < ink_level(arr) + COARSE_INK_LIFT)


def even_out(img: Image.Image) -> Image.Image:
    """Even lighting and full contrast, before anything measures ink: faint thermal print
    and shadows otherwise look like no text at all (and the scale came out 4 x too small)."""
    return ImageOps.autocontrast(flatten_lighting(img), cutoff=(0.2, 1))  # text is a few %
