"""The issuer block at a receipt's head: a name line, maybe a branch line, then contacts."""

from __future__ import annotations

import re

from .normalize import compact

# A branch: a short line ending in 店 (難波店, 新宿本店, 駅前店, 3号店) or 営業所/支店.
_BRANCH = re.compile(r"(?:店|営業所|出張所|支社|センター|sc)\)?$", re.IGNORECASE)
# ...but these 店 words name a kind of shop, so the line is a shop's own name (山田書店).
_SHOP_KIND = re.compile(
    r"(?:書|商|酒|飯|百貨|喫茶|専門|販売|代理|薬|米|精肉|鮮魚|青果|洋品|菓子|生花|花|電器|時計|"
    r"眼鏡|写真|理容|美容|料理|寿司|鮨|蕎麦|そば|うどん|中華|洋菓子|和菓子)店\)?$"
)
COMPANY = re.compile(
    r"株式会社|\(株\)|有限会社|\(有\)|合同会社|合資会社|合名会社|一般社団法人|医療法人|"
    r"\b(?:inc|ltd|llc|corp|corporation|co\.,? ?ltd|k\.k|g\.k|gmbh|plc)\b\.?",
    re.IGNORECASE,
)
_CONTACT = re.compile(r"^(?:〒|tel|fax|電話|登録番号|(?:東京都|北海道|(?:大阪|京都)府|.{2,3}県))",
                      re.IGNORECASE)
MAX_BRANCH_CHARS = 12


def is_branch(line: str) -> bool:
    """A line that names a branch only: short, ends in 店 or the like, no company form."""
    flat = compact(line).strip("()")
    if not 2 <= len(flat) <= MAX_BRANCH_CHARS or COMPANY.search(flat):
        return False
    return bool(_BRANCH.search(flat)) and not _SHOP_KIND.search(flat)


def near_contact(lines: list[str], index: int, reach: int = 3) -> bool:
    """An address, phone or registration number within the next few lines."""
    return any(_CONTACT.match(compact(line)) for line in lines[index + 1:index + 1 + reach])


def _join(name: str, branch: str) -> str:
    ascii_edge = name[-1:].isascii() and name[-1:].isalnum() and branch[:1].isascii()
    return f"{name} {branch}" if ascii_edge else f"{name}{branch}"


def join_block(lines: list[str], plausible: list[bool], index: int) -> str | None:
    """The name and branch lines around `index` as one vendor, or None when there is no pair."""
    line = lines[index]
    above = index > 0 and plausible[index - 1] and not is_branch(lines[index - 1])
    if is_branch(line) and above:
        return _join(lines[index - 1], line)
    below = index + 1 < len(lines) and plausible[index + 1] and is_branch(lines[index + 1])
    if below and not is_branch(line):
        return _join(line, lines[index + 1])
    return None
