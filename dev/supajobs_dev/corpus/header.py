"""The issuer block: name (branch on the same or the next line), address, TEL, 登録番号."""

from __future__ import annotations

import random

from .truth import Issuer

_PLACES = (
    ("東京都", "新宿区西新宿"), ("東京都", "千代田区神田神保町"), ("東京都", "世田谷区三軒茶屋"),
    ("大阪府", "大阪市北区梅田"), ("大阪府", "堺市堺区南瓦町"), ("神奈川県", "横浜市西区南幸"),
    ("愛知県", "名古屋市中区栄"), ("福岡県", "福岡市中央区天神"),
    ("北海道", "札幌市中央区北五条西"), ("京都府", "京都市下京区四条通"),
    ("宮城県", "仙台市青葉区中央"), ("埼玉県", "さいたま市大宮区桜木町"),
    ("兵庫県", "神戸市中央区三宮町"), ("広島県", "広島市中区本通"),
    ("静岡県", "浜松市中央区砂山町"),
)


def registration_number(rng: random.Random) -> str:
    """A valid T-number: the check digit of a random 12-digit body (法人番号's rule)."""
    body = "".join(str(rng.randint(0, 9)) for _ in range(12))
    total = sum(int(d) * (1 if n % 2 else 2) for n, d in enumerate(reversed(body), start=1))
    return f"T{9 - total % 9}{body}"


def spaced(number: str, rng: random.Random) -> str:
    """The T-number as printed: plain, or in groups (T1-2345-6789-0123, T1 2345 …)."""
    digits = number[1:]
    if rng.random() < 0.75:
        return number
    sep = rng.choice(("-", " "))
    return "T" + sep.join((digits[0], digits[1:5], digits[5:9], digits[9:]))


def address(rng: random.Random) -> list[str]:
    pref, town = rng.choice(_PLACES)
    post = f"〒{rng.randint(100, 999)}-{rng.randint(0, 9999):04d}"
    street = f"{rng.randint(1, 9)}-{rng.randint(1, 30)}-{rng.randint(1, 20)}"
    tower = rng.choice(("第一", "サン", "グリーン"))
    building = rng.choice(("", "", f" {tower}ビル{rng.randint(1, 9)}F"))
    if rng.random() < 0.5:
        return [post, f"{pref}{town}{street}{building}"]
    return [f"{post} {pref}{town}{street}{building}"]


def phone(rng: random.Random) -> str:
    area = rng.choice(("03", "06", "045", "052", "092", "011", "075", "022", "048", "078"))
    middle = 6 - len(area)  # 03-1234-5678, 045-123-4567: ten digits in all
    number = f"{area}-{rng.randint(10 ** (middle - 1), 10 ** middle - 1)}-{rng.randint(1000, 9999)}"
    return f"{rng.choice(('TEL', 'TEL:', '電話', 'Tel.', '☎'))} {number}"


def issuer_lines(rng: random.Random, issuer: Issuer, tags: list[str]) -> list[str]:
    """The name line(s); a printed branch goes on the next line about half of the time."""
    title = rng.choice(("^^", "^", "^", ""))
    if issuer.branch is None:
        return [f"{title}{issuer.name}"]
    tags.append("brand_branch")
    if rng.random() < 0.5:
        tags.append("branch_next_line")
        return [f"{title}{issuer.name}", f"{rng.choice(('^', ''))}{issuer.branch}"]
    return [f"{title}{issuer.name} {issuer.branch}"]


def contact_lines(rng: random.Random, number: str | None) -> list[str]:
    lines = address(rng) if rng.random() < 0.85 else []
    if rng.random() < 0.85:
        lines.append(phone(rng))
    if number:
        label = rng.choice(("登録番号", "登録番号:", "適格請求書発行事業者登録番号",
                            "インボイス登録番号"))
        lines.append(f"{label} {spaced(number, rng)}")
    return lines
