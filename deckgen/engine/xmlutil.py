"""Namespaces and XML helpers, kept here for callers not yet importing :mod:`deckgen.engine.opc`."""

from deckgen.engine.opc import (
    NS,
    RT,
    RT_CHART,
    RT_EXTERNAL_TYPES,
    RT_IMAGE,
    RT_NOTES,
    RT_PACKAGE,
    RT_SLIDE,
    RT_THEME,
    parse_xml,
    q,
    relative_target,
    rels_name,
    resolve_target,
    to_bytes,
)

__all__ = [
    "NS",
    "RT",
    "RT_CHART",
    "RT_EXTERNAL_TYPES",
    "RT_IMAGE",
    "RT_NOTES",
    "RT_PACKAGE",
    "RT_SLIDE",
    "RT_THEME",
    "parse_xml",
    "q",
    "relative_target",
    "rels_name",
    "resolve_target",
    "to_bytes",
]
