"""Logos from brand kits and prospects: decompression bombs and non-images are clear errors; logos are resized."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from deckgen.brand.kit import load_brand
from deckgen.engine.media import MAX_EDGE, MAX_IMAGE_PIXELS, load_picture
from deckgen.errors import InputError
from tests.engine.builders import make_brand
from tests.security.util import build_cli, call_in_child


def png_of_one_colour(path, width: int, height: int):
    """A 1-bit PNG written row by row: a 20,000 × 20,000 logo in a few dozen KB, never held in memory."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    comp = zlib.compressobj(9)
    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    idat = b"".join(comp.compress(row) for _ in range(height)) + comp.flush()
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
        + chunk(b"IDAT", idat)
        + chunk(b"IEND", b"")
    )
    return path


def error_of(path, what="brand logo") -> str:
    with pytest.raises(InputError) as info:
        load_picture(path, what=what)
    return str(info.value)


@pytest.mark.parametrize("size", [(20_000, 20_000), (7_000, 7_000)], ids=["400-megapixels", "49-megapixels"])
def test_a_huge_logo_in_a_small_file_is_refused_naming_the_limit(tmp_path, size):
    logo = png_of_one_colour(tmp_path / "logo.png", *size)
    assert logo.stat().st_size < 200 * 1024
    message = error_of(logo)
    assert str(logo) in message and f"{MAX_IMAGE_PIXELS:,} pixels" in message


def test_refusing_a_decompression_bomb_uses_almost_no_memory(tmp_path):
    logo = png_of_one_colour(tmp_path / "logo.png", 20_000, 20_000)
    result = call_in_child("deckgen.engine.media", "load_picture", logo, "InputError")
    assert "pixels" in result["outcome"] and result["growth_mb"] < 30  # decoded it would be 400 MB


def test_a_file_that_is_not_an_image_is_a_clear_error(tmp_path):
    fake = tmp_path / "logo.png"
    fake.write_bytes(b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    message = error_of(fake)
    assert "not a readable image" in message and "BytesIO" not in message


def test_a_truncated_png_is_a_clear_error(tmp_path):
    whole = io.BytesIO()
    Image.new("RGB", (800, 400), "teal").save(whole, format="PNG")
    cut = tmp_path / "logo.png"
    cut.write_bytes(whole.getvalue()[: len(whole.getvalue()) // 2])
    assert "not a readable image" in error_of(cut)


def test_a_png_named_jpg_is_read_by_its_content(tmp_path):
    logo = tmp_path / "logo.jpg"
    Image.new("RGBA", (300, 100), (10, 20, 30, 128)).save(logo, format="PNG")
    pic = load_picture(logo)
    assert (pic.width, pic.height) == (300, 100) and pic.data.startswith(b"\x89PNG")


def test_a_large_logo_is_reencoded_to_at_most_1600_pixels(tmp_path):
    logo = tmp_path / "logo.jpg"
    Image.new("RGB", (4000, 1000), "navy").save(logo, format="JPEG")
    pic = load_picture(logo)
    assert max(pic.width, pic.height) == MAX_EDGE == 1600 and pic.height == 400
    with Image.open(io.BytesIO(pic.data)) as img:
        assert img.format == "PNG" and img.size == (1600, 400)


def test_a_brand_kit_with_a_bomb_logo_is_a_brand_kit_error(tmp_path):
    folder = make_brand(tmp_path / "brand")
    png_of_one_colour(folder / "logo.png", 20_000, 20_000)
    with pytest.raises(InputError, match="brand logo is too large"):
        load_brand(str(folder))


@pytest.mark.parametrize("logo", ["bomb.png", "fake.png", "missing.png"])
def test_deckgen_build_reports_a_bad_prospect_logo_with_exit_2(tmp_path, logo):
    png_of_one_colour(tmp_path / "bomb.png", 20_000, 20_000)
    (tmp_path / "fake.png").write_text("not an image", encoding="utf-8")
    prospect = tmp_path / "p.yaml"
    prospect.write_text(f"company: Acme\nlogo: {logo}\n", encoding="utf-8")
    result, out = build_cli(tmp_path, prospect)
    assert result.exit_code == 2 and result.stderr.startswith("Error: ") and "prospect logo" in result.stderr
    assert "Traceback" not in result.output and not out.exists()


def test_deckgen_build_reports_a_bad_brand_logo_with_exit_2(tmp_path):
    folder = make_brand(tmp_path / "brand")
    (folder / "logo.png").write_bytes(b"GIF89a but not really")
    prospect = tmp_path / "p.yaml"
    prospect.write_text("company: Acme\n", encoding="utf-8")
    result, out = build_cli(tmp_path, prospect, "--brand", str(folder))
    assert result.exit_code == 2 and "brand logo" in result.stderr and "logo.png" in result.stderr


def test_a_prospect_logo_outside_the_prospects_folder_is_refused(tmp_path):
    from click.testing import CliRunner
    from PIL import Image

    from deckgen.cli import cli
    from deckgen.resources import examples_dir

    secret = tmp_path / "private" / "scan.png"
    secret.parent.mkdir()
    Image.new("RGB", (40, 40), "red").save(secret)
    folder = tmp_path / "prospects"
    folder.mkdir()
    for logo in ("../private/scan.png", str(secret)):
        prospect = folder / "acme.yaml"
        prospect.write_text(f"company: Acme\nlogo: {logo}\n", encoding="utf-8")
        out = tmp_path / "acme.pptx"
        result = CliRunner().invoke(
            cli, ["build", "-p", str(examples_dir() / "profile.yaml"), "-x", str(prospect), "-o", str(out)]
        )
        assert result.exit_code == 2, result.output
        assert "acme.yaml:2 logo" in result.output and "outside the folder" in result.output
        assert not out.exists()
    csv_file = folder / "list.csv"
    csv_file.write_text(f"company,logo\nAcme,{secret}\n", encoding="utf-8")
    from deckgen.load.crm.source import open_prospects

    (row,) = list(open_prospects(csv_file))
    assert row.prospect is None and row.error.field == "logo"
