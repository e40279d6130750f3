"""Small templates built in tests with python-pptx, plus a ready brand kit; compiled from bytes in memory."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Inches

from deckgen import engine
from deckgen.brand.kit import Brand, load_brand
from deckgen.engine.media import picture_from_bytes
from deckgen.load.templates import TemplateSpec
from deckgen.model import BrandKit
from deckgen.sales.context import unknown_path
from deckgen.sales.locales import make_filters


class TemplateBuilder:
    """Builds a .pptx template slide by slide; each helper returns the shape it made."""

    def __init__(self) -> None:
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = Inches(13.333), Inches(7.5)
        self.slide = None
        self.charts: dict[str, str] = {}

    def new_slide(self, notes: str | None = None):
        self.slide = self.prs.slides.add_slide(self.prs.slide_layouts[6])
        if notes is not None:
            self.slide.notes_slide.notes_text_frame.text = notes
        return self.slide

    def text(self, name: str, *paragraphs, runs: list[str] | None = None):
        """A text box; ``runs`` puts the first paragraph's text in separate runs (as PowerPoint splits it)."""
        box = self.slide.shapes.add_textbox(
            Inches(0.5), Inches(0.5 + len(self.slide.shapes) * 0.8), Inches(10), Inches(0.8)
        )
        box.name = name
        tf = box.text_frame
        if runs:
            p = tf.paragraphs[0]
            for i, t in enumerate(runs):
                r = p.add_run()
                r.text = t
                r.font.bold = i % 2 == 1
        else:
            tf.paragraphs[0].text = paragraphs[0]
            for extra in paragraphs[1:]:
                tf.add_paragraph().text = extra
        return box

    def table(self, name: str, rows: list[list[str]]):
        frame = self.slide.shapes.add_table(len(rows), len(rows[0]), Inches(0.5), Inches(4), Inches(8), Inches(2))
        frame.name = name
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                frame.table.cell(r, c).text = value
        return frame

    def chart(self, name: str, binding: str | None = None, series: int = 1):
        data = CategoryChartData()
        data.categories = ["a", "b"]
        for i in range(series):
            data.add_series(f"S{i + 1}", (1, 2))
        frame = self.slide.shapes.add_chart(
            XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(1), Inches(2), Inches(6), Inches(4), data
        )
        frame.name = name
        if binding:
            self.charts[name] = binding
        return frame

    def picture(self, name: str, path: Path, width: float = 2, height: float = 2):
        pic = self.slide.shapes.add_picture(str(path), Inches(9), Inches(0.5), Inches(width), Inches(height))
        pic.name = name
        return pic

    def to_bytes(self) -> bytes:
        """The template package, as PowerPoint would save it, without touching the disk."""
        out = io.BytesIO()
        self.prs.save(out)
        return out.getvalue()

    def spec(self, **spec) -> TemplateSpec:
        """The template.yaml :meth:`save` would write, as the model."""
        return TemplateSpec(name=spec.pop("name", "test"), charts=dict(self.charts), **spec)

    def save(self, folder: Path, **spec) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        self.prs.save(folder / "template.pptx")
        lines = [f"name: {spec.pop('name', 'test')}"]
        if self.charts:
            lines.append("charts:")
            lines += [f"  {k}: {v}" for k, v in self.charts.items()]
        for key, value in spec.items():
            lines.append(f"{key}: {value}")
        (folder / "template.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        return folder


def png(path: Path, size=(200, 100), color="navy") -> Path:
    Image.new("RGB", size, color).save(path)
    return path


def make_brand(folder: Path, logo_size=(400, 100)) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    png(folder / "logo.png", logo_size, "teal")
    (folder / "brand.yaml").write_text(
        "name: Test Brand\ncolors: {primary: '#123456', secondary: '#2A9D8F', accent: '#E9C46A'}\n"
        "fonts: {heading: Carlito, body: Carlito, east_asian: Noto Sans CJK TC}\nlogo: logo.png\n"
        "footer: Test footer\n",
        encoding="utf-8",
    )
    return folder


def brand(tmp_path: Path):
    return load_brand(str(make_brand(tmp_path / "brand")))


def memory_brand(logo_size=(400, 100)) -> Brand:
    """The brand of :func:`make_brand`, built in memory (no brand.yaml, no logo file)."""
    kit = BrandKit.model_validate(
        {
            "name": "Test Brand",
            "footer": "Test footer",
            "colors": {"primary": "#123456", "secondary": "#2A9D8F", "accent": "#E9C46A"},
            "fonts": {"heading": "Carlito", "body": "Carlito", "east_asian": "Noto Sans CJK TC"},
        }
    )
    out = io.BytesIO()
    Image.new("RGB", logo_size, "teal").save(out, format="PNG")
    logo = picture_from_bytes(out.getvalue(), label="logo.png", what="brand logo")
    return Brand(kit, Path("."), logo, logo)


def compile_in_memory(builder: TemplateBuilder, brand: Brand | None = None, **spec) -> engine.CompiledTemplate:
    """Compile the builder's template from its bytes, with the brand's theme and logo and deckgen's filters."""
    look = brand or memory_brand()
    return engine.compile(
        builder.to_bytes(),
        builder.spec(**spec),
        label="template.pptx",
        theme=look.theme(),
        logo=look.logo,
        logo_dark=look.logo_dark,
        locale_filters=make_filters,
        unknown_variable=unknown_path,
    )
