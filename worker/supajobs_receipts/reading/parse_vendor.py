"""Who issued the receipt: a company name, a known brand, or a store name near the top."""

from __future__ import annotations

import re

from .model import Found
from .money import find_money
from .normalize import compact
from .parse_date import dates_in

_COMPANY = re.compile(
    r"株式会社|\(株\)|有限会社|\(有\)|合同会社|合資会社|合名会社|一般社団法人|医療法人|"
    r"\b(?:inc|ltd|llc|corp|corporation|co\.,? ?ltd|k\.k|g\.k|gmbh|plc)\b\.?",
    re.IGNORECASE,
)
_BRAND = re.compile(
    r"\b(?:amazon|aws|jr|google|apple|microsoft|github|adobe|slack|zoom|uber|yahoo|rakuten|"
    r"docomo|softbank|ana|jal)\b|セブン-?イレブン|ローソン|ファミリーマート|スターバックス|ドトール|"
    r"タリーズ|ヨドバシ|ビックカメラ|ユニクロ|無印良品|マクドナルド|吉野家|楽天|東京メトロ|"
    r"さくらインターネット|エックスサーバー|ソフトバンク",
    re.IGNORECASE,
)
_STORE = re.compile(r"(?:店|駅|堂|屋|館|薬局|ホテル|食堂|書店|商店|cafe|store|shop)$", re.I)
_LABEL = re.compile(r"^(?:販売元?|発行元?|店名|店舗|会社名|seller|sold by|from)\s*:\s*", re.I)
# Lines that are never the vendor: titles, the customer, addresses, contacts, notes.
_TITLES = ("領収書", "領収証", "レシート", "請求書", "納品書", "購入明細書", "receipt", "invoice",
           "お知らせ", "ご案内", "明細")
_NOISE = ("〒", "tel", "fax", "電話", "http", "www", "@", "登録番号", "上記", "但し", "number",
          "no.", "番号", "担当", "レジ", "乗務員", "期間", "ありがとう")
_ADDRESS = re.compile(r"^(?:東京都|北海道|(?:大阪|京都)府|.{2,3}県).*\d")
_CUSTOMER = re.compile(r"(?:様|御中|殿)$")


def _clean(line: str) -> str:
    return _LABEL.sub("", line).strip(" :-|・*\"'")


def _plausible(line: str) -> bool:
    flat = compact(line)
    if len(flat) < 2 or len(flat) > 40 or _CUSTOMER.search(flat) or _ADDRESS.match(flat):
        return False
    if flat in _TITLES or any(flat.startswith(t) and len(flat) <= len(t) + 6 for t in _TITLES):
        return False
    if any(word in flat for word in _NOISE) or find_money(line) or any(dates_in(line)):
        return False
    letters = sum(ch.isalpha() for ch in flat)
    return letters >= max(2, len(flat) // 2)


def _score(line: str, index: int) -> float:
    company, brand = bool(_COMPANY.search(line)), bool(_BRAND.search(line))
    if company and brand:
        score = 0.95
    elif company:
        score = 0.9
    elif brand:
        score = 0.85
    elif _STORE.search(compact(line)):
        score = 0.75
    else:
        score = 0.5 if index < 3 else 0.0  # a bare top line: plausible, never certain
    return score - (0.05 if index > 5 else 0.0)


def parse_vendor(lines: list[str]) -> Found[str] | None:
    """The best-scoring vendor line; ties go to the line nearest the top."""
    best: Found[str] | None = None
    for index, raw in enumerate(lines):
        line = _clean(raw)
        if not _plausible(line):
            continue
        score = _score(line, index)
        if score > 0 and (best is None or score > best.confidence):
            best = Found(line, score, index)
    return best
