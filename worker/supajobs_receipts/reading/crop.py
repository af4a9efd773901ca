"""Cropping a receipt photo: the desk around the paper, the empty paper around the text."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageFilter

from .paper import coarse_ink, even_out

PAPER_SHARE = 0.33
MIN_DESK_CONTRAST = 60  # grey levels between desk and paper; less, and there is no desk
MIN_INK_KEPT = 0.9  # of the text's ink, inside a paper crop; else the crop is wrong


def _keeps_the_text(img: Image.Image, step: int, rows: np.ndarray, cols: np.ndarray) -> bool:
    """Whether the paper crop keeps the text: with a light desk or a dark vignette, shadowed
    paper looked like desk and the crop cut receipts in half (docs/reading.md)."""
    ink = coarse_ink(img, step)
    if not ink.any():
        return True
    inside = ink[int(rows[0]):int(rows[-1]) + 1, int(cols[0]):int(cols[-1]) + 1].sum()
    return bool(inside >= MIN_INK_KEPT * ink.sum())


def crop_to_paper(img: Image.Image) -> Image.Image:
    """Drop the desk around the paper (on the photo as taken: a desk is darker than paper)."""
    step = 4 if min(img.size) >= 64 else 1
    coarse = img.reduce(step) if step > 1 else img
    arr = np.asarray(coarse.filter(ImageFilter.MedianFilter(5)), dtype=np.uint8)
    dark, light = np.percentile(arr, (5, 95))
    if light - dark < MIN_DESK_CONTRAST:
        return img  # no desk darker than the paper
    paper = arr > (dark + light) / 2  # a fixed level took grey, faint paper for desk
    # A third, not a half: the top and bottom rows of a tilted paper are partly desk.
    rows = np.flatnonzero(paper.mean(axis=1) > PAPER_SHARE)
    cols = np.flatnonzero(paper.mean(axis=0) > PAPER_SHARE)
    if not rows.size or not cols.size or not _keeps_the_text(img, step, rows, cols):
        return img
    return img.crop((int(cols[0]) * step, int(rows[0]) * step,
                     min(img.width, (int(cols[-1]) + 1) * step),
                     min(img.height, (int(rows[-1]) + 1) * step)))


def crop_to_text(img: Image.Image, margin: int = 12) -> Image.Image:
    """Drop the empty paper around the text (on an evened-out image: faint print counts)."""
    step = 2 if min(img.size) >= 32 else 1
    ink = coarse_ink(img, step)
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if not rows.size:
        return img
    return img.crop((max(0, int(cols[0]) * step - margin), max(0, int(rows[0]) * step - margin),
                     min(img.width, (int(cols[-1]) + 1) * step + margin),
                     min(img.height, (int(rows[-1]) + 1) * step + margin)))


def crop_to_content(img: Image.Image) -> Image.Image:
    """The paper, evened out, without the empty paper around the text."""
    return crop_to_text(even_out(crop_to_paper(img)))
