"""Who issued the receipt: the issuer block's name, with its branch when one is printed.

A shop prints its name, often its branch on the next line (難波店, 新宿本店, 駅前店), then
address, phone and registration number. Either line alone is a wrong answer, so the best
line is joined with its neighbour when one of the two is a branch (issuer_block.py).
"""

from __future__ import annotations

import re

from .issuer_block import COMPANY, is_branch, join_block, near_contact
from .model import Found
from .money import find_money
from .normalize import compact
from .parse_date import dates_in

_BRAND = re.compile(
    r"\b(?:amazon|aws|jr|google|apple|microsoft|github|adobe|slack|zoom|uber|yahoo|rakuten|"
    r"docomo|softbank|ana|jal)\b|セブン-?イレブン|ローソン|ファミリーマート|スターバックス|ドトール|"
    r"タリーズ|ヨドバシ|ビックカメラ|ユニクロ|無印良品|マクドナルド|吉野家|楽天|東京メトロ|"
    r"さくらインターネット|エックスサーバー|ソフトバンク",
    re.IGNORECASE,
)
_STORE = re.compile(r"(?:店|駅|堂|屋|館|薬局|ホテル|食堂|書店|商店|cafe|store|shop)$"
                    r"|^(?:ホテル|旅館|hotel)", re.IGNORECASE)
_LABEL = re.compile(r"^(?:販売元?|発行元?|店名|店舗|会社名|seller|sold by|from)\s*:\s*", re.I)
# Lines that are never the vendor: titles, the customer, addresses, contacts, notes.
_TITLES = ("領収書", "領収証", "レシート", "請求書", "納品書", "購入明細書", "receipt", "invoice",
           "お知らせ", "ご案内", "明細", "控え", "お客様控")
_NOISE = ("〒", "tel", "fax", "電話", "http", "www", "@", "登録番号", "上記", "但し", "number",
          "no.", "番号", "担当", "レジ", "乗務員", "期間", "ありがとう", "いらっしゃいませ",
          "ようこそ", "来店", "営業時間", "様", "御中")
_ADDRESS = re.compile(r"^(?:東京都|北海道|(?:大阪|京都)府|.{2,3}県).*\d")
_CUSTOMER = re.compile(r"(?:様|御中|殿)$")


_SPECK = re.compile(r"^[A-Za-z|!'`.,;] (?=[^\x00-\x7f])|(?<=[^\x00-\x7f])[ ]?[0-9A-Za-z|!'`.,;]$")


def _clean(line: str) -> str:
    """The name without its label and the lone specks OCR reads at a line's ends."""
    return _SPECK.sub("", _LABEL.sub("", line)).strip(" :-|・*\"'。、")


def _plausible(line: str) -> bool:
    """Could this line be (part of) a name? Not a title, address, contact, amount or date."""
    flat = compact(line)
    if len(flat) < 2 or len(flat) > 40 or _CUSTOMER.search(flat) or _ADDRESS.match(flat):
        return False
    if any(title in flat and len(flat) <= len(title) + 6 for title in _TITLES):
        return False
    if any(word in flat for word in _NOISE) or find_money(line) or any(dates_in(line)):
        return False
    letters = sum(ch.isalpha() for ch in flat)
    return letters >= max(2, len(flat) // 2)


def _score(lines: list[str], line: str, index: int) -> float:
    company, brand = bool(COMPANY.search(line)), bool(_BRAND.search(line))
    if company and brand:
        score = 0.95
    elif company:
        score = 0.9
    elif brand:
        score = 0.85
    elif _STORE.search(compact(line)):
        score = 0.75
    elif near_contact(lines, index):
        score = 0.75  # an issuer block's name: address or phone right under it
    else:
        score = 0.5 if index < 3 else 0.0  # a bare top line: plausible, never certain
    return score - (0.05 if index > 5 else 0.0)


def parse_vendor(lines: list[str]) -> Found[str] | None:
    """The best-scoring vendor line, joined with its branch line; ties go to the top."""
    cleaned = [_clean(raw) for raw in lines]
    ok = [_plausible(line) for line in cleaned]
    best: Found[str] | None = None
    for index, line in enumerate(cleaned):
        if not ok[index]:
            continue
        score = _score(lines, line, index)
        if score > 0 and (best is None or score > best.confidence):
            best = Found(line, score, index)
    if best is None:
        return None
    joined = join_block(cleaned, ok, best.line)
    if joined is not None:
        return Found(joined, min(1.0, max(best.confidence, 0.8) + 0.05), best.line)
    if is_branch(best.value) and len(compact(best.value)) <= 5:  # 難波店 alone: no shop name
        return Found(best.value, min(best.confidence, 0.5), best.line)
    return best
