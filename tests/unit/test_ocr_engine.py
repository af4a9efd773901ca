"""The in-process Tesseract (C API) reads exactly what the `tesseract` CLI reads, faster."""

from __future__ import annotations

import threading

import pytest
from PIL import Image

from supajobs_dev.demo.sample_receipts import render_image
from supajobs_receipts.reading import UnreadableReason, UnreadableReceipt, engine
from supajobs_receipts.reading.ocr import ocr_image
from supajobs_receipts.reading.tess_capi import TessApi

LINES = ["^ローソン 新宿西口店", "登録番号 T7011001055620", "2024年6月20日 12:34", "おにぎり|¥150",
         "小計|¥1,280", "消費税(10%)|¥116", "合計|¥1,280"]


@pytest.fixture(scope="module")
def receipt() -> Image.Image:
    return render_image(LINES)


def _both(monkeypatch: pytest.MonkeyPatch, call: str, *args: object) -> tuple[object, object]:
    monkeypatch.setenv(engine.ENGINE_ENV, "cli")
    cli = getattr(engine, call)(*args)
    monkeypatch.setenv(engine.ENGINE_ENV, "api")
    return cli, getattr(engine, call)(*args)


def test_word_table_equals_the_cli(receipt: Image.Image, monkeypatch: pytest.MonkeyPatch) -> None:
    for languages in ("jpn+eng", "eng"):
        cli, api = _both(monkeypatch, "image_to_data", receipt, languages, 6, 60.0)
        assert isinstance(cli, dict) and isinstance(api, dict)
        assert api == cli, languages
        assert "7011001055620" in " ".join(map(str, api["text"]))


def test_orientation_equals_the_cli(receipt: Image.Image, monkeypatch: pytest.MonkeyPatch) -> None:
    for turn in (0, 90, 180, 270):
        turned = receipt.rotate(turn, expand=True, fillcolor=255)
        cli, api = _both(monkeypatch, "image_to_osd", turned, 60.0)
        assert isinstance(cli, str) and isinstance(api, str)
        keep = ("Orientation in degrees", "Rotate", "Orientation confidence")
        assert [line for line in api.splitlines() if line.startswith(keep)] == \
            [line for line in cli.splitlines() if line.startswith(keep)]
        assert f"Rotate: {turn}\n" in api  # PIL turns counter-clockwise


def test_too_little_text_for_orientation_is_an_engine_error() -> None:
    blank = Image.new("L", (200, 200), 255)
    with pytest.raises(engine.EngineError, match="too few characters"):
        engine.image_to_osd(blank, 10.0)


def test_time_limit_turns_into_ocr_failed(receipt: Image.Image) -> None:
    big = receipt.resize((receipt.width * 3, receipt.height * 3))
    with pytest.raises(UnreadableReceipt) as caught:
        ocr_image(big, "jpn+eng", timeout=0.001)
    assert caught.value.reason is UnreadableReason.OCR_FAILED
    assert "longer than" in caught.value.detail


def test_unknown_language_is_named() -> None:
    with pytest.raises(engine.EngineError, match="xxx"):
        engine.image_to_data(Image.new("L", (50, 50), 255), "xxx", 6, 5.0)


def test_unknown_engine_setting_is_a_setting_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(engine.ENGINE_ENV, "gpu")
    with pytest.raises(engine.EngineSettingError, match="SUPAJOBS_OCR_ENGINE must be api or cli"):
        engine.use_api()


def test_each_thread_gets_its_own_engine(receipt: Image.Image) -> None:
    seen: list[tuple[int, str]] = []
    both_alive = threading.Barrier(2, timeout=60)  # so no engine's id is reused

    def read() -> None:
        data = engine.image_to_data(receipt, "eng", 6, 60.0)
        seen.append((id(engine._api("eng", 6)), " ".join(map(str, data["text"]))))
        both_alive.wait()

    threads = [threading.Thread(target=read) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({ident for ident, _ in seen}) == 2
    assert seen[0][1] == seen[1][1]


def test_a_closed_engine_can_be_closed_again() -> None:
    api = TessApi("eng", 6)
    api.close()
    api.close()
