"""How alike a receipt's vendor and a deal's partner or card line are.

Both sides are folded the same way: NFKC (a card line's full-width letters become
"amazon.co.jp"), case, hiragana to katakana, legal forms (株式会社, (株), 有限会社,
合同会社, Inc., Co., Ltd. …) and punctuation and spaces removed. A card statement often
carries only a prefix of the name, or the name with a branch, so containment counts as alike.
"""

from __future__ import annotations

import re
import unicodedata

_LEGAL_FORMS = re.compile(
    r"株式会社|有限会社|合同会社|合資会社|合名会社|一般社団法人|一般財団法人|公益社団法人|"
    r"公益財団法人|特定非営利活動法人|npo法人|\((?:株|有|同|資|名)\)|"
    r"\b(?:co\.?,?\s*ltd|inc|corp|corporation|llc|k\.?k|limited|ltd)\b\.?")
_NOT_NAME = re.compile(r"[\s\W_]+")  # punctuation, spaces, symbols ("ー" is a letter here)
_BRANCH = re.compile(r"(?:本店|支店|[^\s]{1,8}店)$")
_PLACE = re.compile(r"\s+\S*[店駅]$")  # a last word naming the branch or station


def without_branch(name: str | None) -> str:
    """"ローソン 新宿三丁目店" -> "ローソン": the place does not tell shops apart."""
    text = unicodedata.normalize("NFKC", name or "").strip()
    return _PLACE.sub("", text) or text


def fold(name: str | None) -> str:
    if not name:
        return ""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in text)
    text = _LEGAL_FORMS.sub(" ", text)
    return _NOT_NAME.sub("", text)


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} if len(text) > 1 else {text}


def similarity(receipt_vendor: str | None, other: str | None) -> float:
    """0 (nothing alike) … 1 (the same name, or one containing the other)."""
    a, b = fold(without_branch(receipt_vendor)), fold(without_branch(other))
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    shorter, longer = sorted((a, b), key=len)
    if len(shorter) >= 3 and shorter in longer:
        return 0.9
    base = fold(_BRANCH.sub("", unicodedata.normalize("NFKC", receipt_vendor or "")))
    if base and len(base) >= 3 and base != a and (base in b or b in base):
        return 0.85  # the receipt's name is the partner's plus a branch (…店)
    x, y = _bigrams(a), _bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y))


def _scripts(text: str) -> set[str]:
    kinds = set()
    for c in text:
        if "ァ" <= c <= "ヺ" or c == "ー":
            kinds.add("kana")
        elif "一" <= c <= "鿿" or c in "々〆":
            kinds.add("kanji")
        elif c.isascii() and c.isalpha():
            kinds.add("latin")
    return kinds


def comparable(a: str | None, b: str | None) -> bool:
    """Names written in different scripts (紀伊國屋書店 / キノクニヤ / KINOKUNIYA, 日本交通
    タクシー / ﾆﾎﾝｺｳﾂｳ) cannot be compared without a dictionary of readings: neither alike
    nor different. Kanji on one side only counts as different scripts."""
    x, y = _scripts(fold(without_branch(a))), _scripts(fold(without_branch(b)))
    return ("kanji" in x) == ("kanji" in y) and bool(x & y)


def best_similarity(receipt_vendor: str | None, names: list[str]) -> float | None:
    """The best similarity among the names that can be compared; None when none can."""
    scores = [similarity(receipt_vendor, n) for n in names if comparable(receipt_vendor, n)]
    return max(scores, default=None)
