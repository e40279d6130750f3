"""Logos as they really arrive: pipes, folders, EXIF-rotated photos, 16-bit PNGs, broken EMF; decoded once."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import threading
import time

import pytest
from PIL import Image

import deckgen.engine.media as media
from deckgen.engine.deadline import deadline, loading_deadline
from deckgen.engine.media import load_picture, picture_from_bytes
from deckgen.errors import InputError
from tests.security.util import DATE, PROFILE, REPO, build_cli


def decoded(picture) -> Image.Image:
    return Image.open(io.BytesIO(picture.data)).convert("RGB")


def in_thread(fn, seconds: float = 10):
    """Run ``fn`` in a daemon thread; return what it raised or returned, or fail if it is still blocked."""
    box: dict = {}

    def run():
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            box["error"] = exc

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), f"still blocked after {seconds} s"
    return box


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_as_a_logo_is_refused_at_once(tmp_path):
    fifo = tmp_path / "logo.png"
    os.mkfifo(fifo)
    box = in_thread(lambda: load_picture(fifo, what="prospect logo"))
    assert isinstance(box.get("error"), InputError), box
    assert "pipe" in str(box["error"]) and "logo.png" in str(box["error"])


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_deckgen_build_with_a_fifo_logo_exits_2_and_does_not_hang(tmp_path):
    os.mkfifo(tmp_path / "logo.png")
    prospect = tmp_path / "p.yaml"
    prospect.write_text("company: Acme\nlogo: logo.png\n", encoding="utf-8")
    out = tmp_path / "deck.pptx"
    args = ["build", "--profile", str(PROFILE), "--prospect", str(prospect), "--out", str(out), "--date", DATE]
    result = subprocess.run(
        [sys.executable, "-m", "deckgen", *args], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("Error: ") and "pipe" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_a_logo_that_is_a_folder_is_an_error_not_a_traceback(tmp_path):
    (tmp_path / "logo.png").mkdir()
    prospect = tmp_path / "p.yaml"
    prospect.write_text("company: Acme\nlogo: logo.png\n", encoding="utf-8")
    result, out = build_cli(tmp_path, prospect)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: ") and "folder" in result.stderr
    assert "Traceback" not in result.output and not out.exists()


def _emf_with_a_zero_frame() -> bytes:
    # EMR_HEADER: type, size, bounds, frame (all zero), ' EMF', version, bytes, records, handles, reserved
    header = struct.pack("<II4i4iIIIIHH", 1, 88, 0, 0, 100, 100, 0, 0, 0, 0, 0x464D4520, 0x10000, 88, 1, 1, 0)
    header += struct.pack("<4I", 0, 0, 0, 0) + struct.pack("<iiii", 1024, 768, 320, 240)
    return header + b"\0" * 100


def test_an_emf_logo_with_a_zero_size_frame_is_a_clear_error():
    with pytest.raises(InputError, match="frame has no size"):
        picture_from_bytes(_emf_with_a_zero_frame(), label="logo.emf", what="prospect logo")


def test_deckgen_build_with_a_zero_frame_emf_logo_exits_2(tmp_path):
    (tmp_path / "logo.emf").write_bytes(_emf_with_a_zero_frame())
    prospect = tmp_path / "p.yaml"
    prospect.write_text("company: Acme\nlogo: logo.emf\n", encoding="utf-8")
    result, _ = build_cli(tmp_path, prospect)
    assert result.exit_code == 2 and result.stderr.startswith("Error: ") and "logo.emf" in result.stderr
    assert "Traceback" not in result.output


def test_an_exif_rotated_jpeg_is_embedded_upright():
    # stored 80 wide × 40 high, red on the left; orientation 6 means "turn 90° clockwise to show"
    img = Image.new("RGB", (80, 40), "blue")
    img.paste((255, 0, 0), (0, 0, 40, 40))
    exif = Image.Exif()
    exif[0x0112] = 6
    buf = io.BytesIO()
    img.save(buf, format="JPEG", exif=exif, quality=95)
    picture = picture_from_bytes(buf.getvalue(), label="photo.jpg", what="prospect logo")
    assert (picture.width, picture.height) == (40, 80)
    shown = decoded(picture)
    top, bottom = shown.getpixel((20, 10)), shown.getpixel((20, 70))
    assert top[0] > 200 and top[2] < 60, top  # the red half is now on top
    assert bottom[2] > 200 and bottom[0] < 60, bottom


def test_a_16_bit_greyscale_png_keeps_its_shades():
    img = Image.new("I;16", (64, 16))
    for x in range(64):
        for y in range(16):
            img.putpixel((x, y), x * 1024)  # 0 … 64,512 of 65,535
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    assert Image.open(io.BytesIO(buf.getvalue())).mode.startswith("I")
    shown = decoded(picture_from_bytes(buf.getvalue(), label="grey16.png", what="logo"))
    dark, mid, light = (shown.getpixel((x, 8))[0] for x in (0, 32, 63))
    assert dark < 10 and 110 < mid < 145 and light > 240, (dark, mid, light)


def test_a_shared_logo_is_decoded_once_until_the_file_changes(tmp_path, monkeypatch):
    path = tmp_path / "shared.png"
    Image.new("RGB", (300, 200), "green").save(path)
    calls = []
    real = media.picture_from_bytes
    monkeypatch.setattr(media, "picture_from_bytes", lambda data, **kw: calls.append(1) or real(data, **kw))
    first = [load_picture(path, what="prospect logo") for _ in range(50)]
    assert len(calls) == 1 and all(p is first[0] for p in first)
    Image.new("RGB", (300, 200), "red").save(path)
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 5_000_000_000))
    changed = load_picture(path, what="prospect logo")
    assert len(calls) == 2 and decoded(changed).getpixel((5, 5))[0] > 200


def test_a_load_that_stalls_hits_the_loading_deadline():
    start = time.monotonic()
    with pytest.raises(InputError, match="took longer than 0.2 s"):
        with loading_deadline("slow.png", "prospect logo", 0.2):
            time.sleep(5)
    assert time.monotonic() - start < 2


def test_a_loading_deadline_inside_a_longer_one_gives_the_outer_one_back():
    class Outer(InputError):
        pass

    start = time.monotonic()
    with pytest.raises(Outer):
        with deadline(0.6, lambda: Outer("outer")):
            with loading_deadline("a.png", "logo", 5):
                pass
            time.sleep(5)
    assert time.monotonic() - start < 2
