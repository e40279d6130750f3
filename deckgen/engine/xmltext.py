"""Escaping text for XML, without :mod:`xml.sax.saxutils` (which imports urllib, http and ssl at start-up)."""

from __future__ import annotations


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as entities: the same result as ``xml.sax.saxutils.escape(text)``."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


__all__ = ["escape"]
