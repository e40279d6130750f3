"""Tags as PowerPoint's AutoCorrect leaves them: smart quotes, non-breaking spaces, dashes."""

from __future__ import annotations

from io import BytesIO

import pytest
from pptx import Presentation

from deckgen.engine import render as render_deck
from deckgen.engine.tags import normalise_tag
from deckgen.errors import TemplateError
from tests.engine.builders import TemplateBuilder, compile_in_memory
from tests.engine.test_engine import context, texts


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("{{ prospect.contact or \u2018your team\u2019 }}", "{{ prospect.contact or 'your team' }}"),
        ("{{ x | default(\u201cn/a\u201d) }}", '{{ x | default("n/a") }}'),
        ("{{ \u2018we\u2019re here\u2019 }}", "{{ 'we\u2019re here' }}"),  # the apostrophe stays as typed
        ("{{ 'we\u2019re here' }}", "{{ 'we\u2019re here' }}"),
        ("{%\u00a0if a\u00a0%}", "{% if a %}"),
        ("{{ a \u2013 b }}", "{{ a - b }}"),
        ('{{ \u201csay "hi"\u201d }}', '{{ "say \\"hi\\"" }}'),
        ("{{ 'a \u2013 b' }}", "{{ 'a \u2013 b' }}"),  # inside a string nothing changes
        ("{{ items\u2026 }}", "{{ items... }}"),
    ],
)
def test_autocorrected_tags_are_read_as_the_author_meant(typed, meant):
    assert normalise_tag(typed) == meant


def test_a_deck_built_from_a_smart_quoted_template_fills_the_tags():
    b = TemplateBuilder()
    b.new_slide()
    b.text("Hello", "Hello {{ prospect.contact or \u2018your team\u2019 }}\u00a0\u2013 {{ prospect.company }}")
    b.text("Status", "{%\u00a0if prospect.notes\u00a0%}notes{%\u00a0else\u00a0%}no notes{%\u00a0endif\u00a0%}")
    data = render_deck(compile_in_memory(b), context(contact=None)).data
    slide = texts(Presentation(BytesIO(data)))[0]
    assert slide[0] == "Hello your team\u00a0\u2013 Acme & <Sons>"  # text outside tags is kept as typed
    assert slide[1] == "no notes"


def test_a_syntax_error_names_slide_shape_and_tag_never_a_character_offset():
    b = TemplateBuilder()
    b.new_slide()
    b.text("Title", "Fine")
    b.new_slide()
    b.text("Body", "Hello {{ prospect.company \u2022 prospect.city }}")
    with pytest.raises(TemplateError) as err:
        compile_in_memory(b)
    text = str(err.value)
    assert "slide 2" in text and "shape 'Body'" in text and "prospect.company \u2022 prospect.city" in text
    assert " at " not in text.split("\n")[0].split("syntax error")[-1]
