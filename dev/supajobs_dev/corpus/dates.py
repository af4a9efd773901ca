"""Dates as receipts print them: seireki, 令和, two-digit years, English invoices."""

from __future__ import annotations

import datetime as dt
import random

_WEEKDAYS = "月火水木金土日"
_START, _DAYS = dt.date(2023, 10, 1), 820  # the invoice system's start, then ~2 years
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def random_day(rng: random.Random) -> dt.date:
    return _START + dt.timedelta(days=rng.randrange(_DAYS))


def clock(rng: random.Random) -> str:
    return f"{rng.randint(7, 23):02d}:{rng.randint(0, 59):02d}"


def japanese(rng: random.Random, day: dt.date, with_time: bool | None = None) -> str:
    """One of the usual receipt spellings, sometimes with the weekday and a time."""
    y, m, d, w = day.year, day.month, day.day, _WEEKDAYS[day.weekday()]
    r = y - 2018
    form = rng.choice((
        f"{y}年{m}月{d}日({w})", f"{y}年{m:02d}月{d:02d}日", f"{y}/{m:02d}/{d:02d}",
        f"{y}-{m:02d}-{d:02d}", f"令和{r}年{m}月{d}日", f"R{r}.{m}.{d}",
        f"{y % 100:02d}/{m:02d}/{d:02d}", f"{y}.{m}.{d}", f"{y}/{m}/{d}({w})",
        f"{y}年 {m}月 {d}日", f"令和 {r}年{m:02d}月{d:02d}日",
    ))
    if with_time is None:
        with_time = rng.random() < 0.6
    return f"{form} {clock(rng)}" if with_time else form


def english(rng: random.Random, day: dt.date) -> str:
    month = _MONTHS[day.month - 1]
    return rng.choice((f"{month} {day.day}, {day.year}", f"{day.day} {month[:3]} {day.year}",
                       f"{day.isoformat()}", f"{month[:3]} {day.day}, {day.year}",
                       f"{day.year}/{day.month:02d}/{day.day:02d}"))


def distractor(rng: random.Random, day: dt.date) -> str:
    """Another date on the slip (points expiry, return deadline): never the receipt's date."""
    later = day + dt.timedelta(days=rng.choice((30, 90, 180, 365, 400)))
    label = rng.choice(("ポイント有効期限", "返品期限", "次回クーポン有効期限", "有効期限"))
    return f"{label} {later.year}/{later.month:02d}/{later.day:02d}"
