"""What receipts sell: item names with typical prices and tax rates, and how yen is printed."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Literal

Store = Literal["food", "goods", "meal", "electronics", "untaxed"]


@dataclass(frozen=True)
class Item:
    name: str
    price: int    # the line's amount (tax included or excluded: the receipt's regime decides)
    rate: int     # 8 (軽減), 10, or 0 (not taxed: stamps, IC charge, medical)
    quantity: int = 1


_POOLS: dict[Store, tuple[tuple[str, int, int, int], ...]] = {  # name, low, high, rate
    "food": (("おにぎり 鮭", 120, 180, 8), ("サンドイッチ", 250, 420, 8), ("牛乳 1L", 180, 280, 8),
             ("食パン 6枚", 150, 320, 8), ("緑茶 500ml", 100, 160, 8), ("カップ麺", 150, 260, 8),
             ("ヨーグルト", 98, 198, 8), ("卵 10個", 198, 320, 8), ("豚ロース", 380, 980, 8),
             ("コーヒー豆 200g", 880, 1980, 8), ("弁当 幕の内", 450, 780, 8),
             ("バナナ", 98, 258, 8),
             ("レジ袋", 3, 5, 10), ("ティッシュ 5箱", 298, 498, 10), ("洗剤", 248, 598, 10)),
    "goods": (("ボールペン 黒", 110, 330, 10), ("コピー用紙 A4", 480, 980, 10),
              ("クリアファイル", 110, 440, 10), ("乾電池 単3", 298, 880, 10),
              ("USBケーブル", 980, 2480, 10), ("マスク 50枚", 398, 980, 10),
              ("のど飴", 198, 398, 8), ("目薬", 598, 1480, 10), ("シャンプー", 498, 1280, 10),
              ("ノート B5", 150, 480, 10), ("ガムテープ", 198, 498, 10),
              ("収納ボックス", 980, 3980, 10),
              ("延長コード", 780, 2480, 10), ("Tシャツ", 990, 2990, 10), ("書籍", 880, 3960, 10)),
    "meal": (("ランチセット", 880, 1580, 10), ("生ビール", 480, 780, 10),
             ("ロースかつ定食", 980, 1880, 10),
             ("中華そば", 680, 980, 10), ("餃子", 320, 580, 10), ("ブレンドコーヒー", 380, 650, 10),
             ("ケーキセット", 780, 1280, 10), ("コース料理", 3800, 9800, 10),
             ("日本酒 1合", 580, 1200, 10),
             ("烏龍茶", 280, 450, 10), ("お通し", 300, 500, 10),
             ("テイクアウト弁当", 580, 1280, 8)),
    "electronics": (("ノートパソコン", 59800, 198000, 10), ("モニター 27型", 19800, 54800, 10),
                    ("キーボード", 2980, 14800, 10), ("マウス", 1480, 7980, 10),
                    ("外付けSSD 1TB", 9800, 24800, 10), ("プリンター", 12800, 39800, 10),
                    ("延長保証", 1980, 9800, 10), ("HDMIケーブル", 880, 2480, 10)),
    "untaxed": (("郵便切手 84円", 84, 84, 0), ("郵便切手 110円", 110, 110, 0),
                ("収入印紙 200円", 200, 200, 0), ("はがき", 85, 85, 0)),
}


def _price(rng: random.Random, low: int, high: int) -> int:
    if low == high:
        return low
    step = rng.choice((1, 10, 10, 100)) if high > 1000 else rng.choice((1, 1, 10))
    value = rng.randint(low // step, high // step) * step
    return max(low, value - (2 if step > 1 and rng.random() < 0.4 else 0))


def items(rng: random.Random, store: Store, count: int) -> list[Item]:
    chosen: list[Item] = []
    for _ in range(count):
        name, low, high, rate = rng.choice(_POOLS[store])
        quantity = rng.choice((1, 1, 1, 1, 2, 3)) if high < 2000 else 1
        chosen.append(Item(name, _price(rng, low, high) * quantity, rate, quantity))
    return chosen


def yen(amount: int, style: str) -> str:
    """An amount as printed: ¥1,234 / ￥1,234 / 1,234円 / 1,234 / 1234 / \\1,234."""
    grouped = f"{amount:,}"
    return {"yen": f"¥{grouped}", "wide": f"￥{grouped}", "en": f"{grouped}円", "bare": grouped,
            "plain": str(amount), "yen_sp": f"¥ {grouped}"}[style]


def yen_style(rng: random.Random) -> str:
    return rng.choice(("yen", "yen", "yen", "wide", "en", "bare", "plain", "yen_sp"))
