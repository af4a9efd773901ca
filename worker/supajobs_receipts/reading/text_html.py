"""Receipt-like HTML mail bodies: visible text, one line per block element."""

from __future__ import annotations

from html.parser import HTMLParser

_BLOCKS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "table", "section", "td", "th"}
_HIDDEN = {"script", "style", "head", "title"}


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden += 1
        elif tag in _BLOCKS:
            self.parts.append("\n" if tag not in {"td", "th"} else " ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n" if tag not in {"td", "th"} else " ")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8", "cp932", "euc_jp"):  # Japanese mail still uses Shift_JIS and EUC
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def html_text(data: bytes) -> str:
    collector = _TextCollector()
    collector.feed(_decode(data))
    collector.close()
    return "".join(collector.parts)
