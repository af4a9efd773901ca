"""A phone photo of a slip: fading, warp, desk, perspective, tilt, light, blur, noise, JPEG.

"image" is an ordinary photo; "hard" is the one a person would retake: faint print, strong
blur, a crumpled warp, up to 8 degrees of tilt, low resolution.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter


@dataclass(frozen=True)
class Shot:
    fade: float         # how unevenly the print faded (0 none, 0.6 strong)
    warp: float         # crumple amplitude in pixels
    tilt: float         # degrees
    skew: float         # perspective: corner jitter as a share of the size
    light: float        # darkest corner of the lighting gradient (1 even)
    blur: float
    noise: float
    scale: float        # resolution kept (1 full)
    quality: int        # JPEG quality


def shot(rng: random.Random, hard: bool) -> Shot:
    if not hard:
        return Shot(rng.uniform(0, 0.35), 0.0, rng.uniform(-3, 3), rng.uniform(0, 0.03),
                    rng.uniform(0.7, 1.0), rng.uniform(0.2, 0.9), rng.uniform(2, 8),
                    rng.uniform(0.85, 1.0), rng.randint(60, 92))
    return Shot(rng.uniform(0.3, 0.6), rng.uniform(2, 6), rng.choice((-1, 1)) * rng.uniform(3, 8),
                rng.uniform(0.02, 0.06), rng.uniform(0.45, 0.8), rng.uniform(1.0, 2.0),
                rng.uniform(6, 14), rng.uniform(0.55, 0.8), rng.randint(35, 70))


def _field(rng: np.random.Generator, shape: tuple[int, int], cells: int) -> np.ndarray:
    """A smooth random field in 0..1 (coarse noise scaled up)."""
    coarse = Image.fromarray((rng.random((cells, cells)) * 255).astype(np.uint8))
    smooth: np.ndarray = np.asarray(coarse.resize(shape[::-1], Image.Resampling.BICUBIC),
                                    np.float32) / 255
    return smooth


def _fade(arr: np.ndarray, amount: float, rng: np.random.Generator) -> np.ndarray:
    ink = 255.0 - arr
    faded: np.ndarray = 255.0 - ink * (1.0 - amount * _field(rng, arr.shape, 4))
    return faded


def _warp(arr: np.ndarray, amount: float, rng: np.random.Generator) -> np.ndarray:
    h, w = arr.shape
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    phase = rng.uniform(0, 6.28, 2)
    dx = amount * np.sin(ys / rng.uniform(40, 90) + phase[0])
    dy = amount * np.sin(xs / rng.uniform(50, 120) + phase[1])
    sx = np.clip(xs + dx, 0, w - 1).astype(np.int32)
    sy = np.clip(ys + dy, 0, h - 1).astype(np.int32)
    warped: np.ndarray = arr[sy, sx]
    return warped


def _perspective(img: Image.Image, skew: float, rng: random.Random, fill: tuple[int, ...]
                 ) -> Image.Image:
    w, h = img.size
    dst = [(0, 0), (w, 0), (w, h), (0, h)]
    src = [(x + rng.uniform(-skew, skew) * w, y + rng.uniform(-skew, skew) * h) for x, y in dst]
    rows = []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    coeffs = np.linalg.solve(np.array(rows, float), np.array(src, float).reshape(8))
    return img.transform(img.size, Image.Transform.PERSPECTIVE, tuple(coeffs),
                         Image.Resampling.BICUBIC, fillcolor=fill)


def _light(arr: np.ndarray, darkest: float, rng: random.Random) -> np.ndarray:
    h, w = arr.shape[:2]
    angle = rng.uniform(0, 6.28)
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    ramp = np.cos(angle) * xs / w + np.sin(angle) * ys / h
    ramp = (ramp - ramp.min()) / max(float(np.ptp(ramp)), 1e-6)
    gain = darkest + (1.0 - darkest) * ramp
    if rng.random() < 0.3:  # a phone's shadow over one side, with a soft edge
        edge, soft = w * rng.uniform(0.2, 0.5), w * rng.uniform(0.04, 0.12)
        gain = gain * (1.0 - rng.uniform(0.15, 0.3) / (1.0 + np.exp((xs - edge) / soft)))
    lit: np.ndarray = arr * gain[..., None]
    return lit


def photograph(paper: Image.Image, spec: Shot, rng: random.Random) -> Image.Image:
    """The photo (RGB) of a grey slip `paper` lying on a desk."""
    nrng = np.random.default_rng(rng.randrange(2**32))
    arr = _fade(np.asarray(paper, np.float32), spec.fade, nrng)
    if spec.warp:
        arr = _warp(arr, spec.warp, nrng)
    tint = np.array([1.0, rng.uniform(0.97, 1.0), rng.uniform(0.9, 0.98)], np.float32)
    slip = Image.fromarray(np.clip(arr[..., None] * tint, 0, 255).astype(np.uint8), "RGB")
    desk_rgb = tuple(int(c) for c in rng.choice(((120, 90, 60), (90, 90, 95), (170, 160, 140),
                                                 (60, 60, 65), (200, 200, 205))))
    pad = rng.randint(25, 80)
    desk = Image.new("RGB", (slip.width + 2 * pad, slip.height + 2 * pad), desk_rgb)
    desk.paste(slip, (pad, pad))
    img = _perspective(desk, spec.skew, rng, desk_rgb)
    img = img.rotate(spec.tilt, expand=True, fillcolor=desk_rgb, resample=Image.Resampling.BICUBIC)
    arr = _light(np.asarray(img, np.float32), spec.light, rng)
    arr = arr + nrng.normal(0, spec.noise, arr.shape)
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")
    img = img.filter(ImageFilter.GaussianBlur(spec.blur))
    if spec.scale < 1:
        size = (int(img.width * spec.scale), int(img.height * spec.scale))
        img = img.resize(size, Image.Resampling.BILINEAR)
    return img


def encode(img: Image.Image, fmt: str, quality: int) -> bytes:
    buf = io.BytesIO()
    if fmt == "png":
        img.save(buf, format="PNG", optimize=False)
    else:
        img.save(buf, format="JPEG", quality=quality)
    return buf.getvalue()
