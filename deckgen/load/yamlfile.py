"""Safe YAML loading with line numbers.

Every scalar is kept as the text the user typed (``NO`` stays ``"NO"``,
``01234`` stays ``"01234"``); the pydantic model then converts the fields that
really are numbers or booleans. Explicit tags, aliases and duplicate keys are
refused with the line they are on. The result keeps a map from field path to
line, so a validation error can say ``profile.yaml:14 usp.one_liner``.
Characters YAML forbids in a file (control characters pasted from a CRM, say)
are removed with a warning naming the field, instead of refusing the file.

A document that loaded cleanly is kept in deckgen's cache (:mod:`deckgen.cache`) by the SHA-256 of
its text, so a warm ``deckgen build`` does not import PyYAML at all (~30 ms).
"""

from __future__ import annotations

import codecs
import functools
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from deckgen.cache import DiskCache, cache_root, file_digest, open_cache
from deckgen.errors import DataWarning, DeckgenWarning, InputError
from deckgen.load.yamlsyntax import comment_cut_message, comment_cuts, explain_syntax, indent_spaces
from deckgen.model import format_field_path

MAX_YAML_BYTES = 2 * 1024 * 1024
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}
_NULLS = {"", "~", "null", "Null", "NULL"}
# What YAML does not allow in a file (PyYAML refuses the whole file for one of them), and its line breaks.
_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")


@functools.cache
def _unprintable() -> re.Pattern:
    """What YAML does not allow (compiled on first use: ~10 ms, and a warm run reads every file from the cache)."""
    return re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass
class YamlDoc:
    """Loaded YAML data plus the line (1-based) of every path in it."""

    data: object
    lines: dict[tuple, int] = field(default_factory=dict)
    file: str = ""
    warnings: list[DeckgenWarning] = field(default_factory=list)  # characters removed before parsing, by field

    def line_of(self, loc: tuple) -> int | None:
        """Return the line of ``loc`` or of its nearest ancestor present in the file."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get(())


@functools.cache
def _composer_class():
    import yaml

    class _Composer(yaml.SafeLoader):
        """SafeLoader that refuses aliases (an alias bomb is one line of YAML)."""

        def compose_node(self, parent, index):  # noqa: D401 - PyYAML hook
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                raise InputError(
                    "YAML aliases (*name) are not supported; write the value out",
                    line=event.start_mark.line + 1,
                )
            return super().compose_node(parent, index)

    return _Composer


def load_yaml_text(text: str, file: str = "<text>") -> YamlDoc:
    """Parse YAML text into plain dicts/lists/strings; raise InputError naming the line."""
    encoded = text.encode("utf-8", "surrogatepass")
    if len(encoded) > MAX_YAML_BYTES:
        raise InputError(f"file is larger than {MAX_YAML_BYTES // 1024} KiB", file=file)
    cache = _doc_cache()
    key = hashlib.sha256(encoded).digest() if cache is not None else b""
    kept = _kept_doc(cache.get_value(key)) if cache is not None else None
    if kept is not None:
        return YamlDoc(data=kept[0], lines=kept[1], file=file)
    doc = _parse(text, file)
    if cache is not None and not doc.warnings:
        cache.put_value(key, (doc.data, doc.lines))
    return doc


def _parse(text: str, file: str) -> YamlDoc:
    doc = YamlDoc(data=None, file=file)
    removed_on: list[int] = []
    if _unprintable().search(text):
        text, removed_on = _remove_unprintable(text)
    text = indent_spaces(text)
    node = _compose_fast(text)
    if node is not _SLOW:
        try:
            doc.data = {} if node is None else _build(node, (), doc)
        except (_AliasFound, InputError, RecursionError):  # the pure-Python parser names the problem
            node, doc = _SLOW, YamlDoc(data=None, file=file)
    if node is _SLOW:
        node = _compose(text, file)
        try:
            doc.data = {} if node is None else _build(node, (), doc)
        except RecursionError:
            raise InputError("the YAML is nested too deeply", file=file) from None
    for line in removed_on:
        doc.warnings.append(
            DataWarning(f"removed control or invisible characters (line {line})", field=_field_on(doc, line))
        )
    if "#" in text:  # a value cut short at a "#" YAML reads as a comment (``Suite #4``, an unquoted colour)
        for line, kept, dropped in comment_cuts(text):
            where = {"file": f"{file}:{line}", "field": _field_on(doc, line)}
            doc.warnings.append(DataWarning(comment_cut_message(kept, dropped), **where))
    return doc


class _AliasFound(Exception):
    """The same node reached twice: the document used an alias."""


_SLOW = object()
_SYNTAX_FILE = Path(__file__).with_name("yamlsyntax.py")


def _doc_cache() -> DiskCache | None:
    if cache_root() is None:
        return None
    namespace = _doc_namespace()
    return open_cache("yaml", namespace) if namespace else None


@functools.cache
def _doc_namespace() -> str:
    """This module's code (and its syntax helper's) and PyYAML's version (read from its files: importing it
    is what the cache saves)."""
    import importlib.util

    try:
        spec = importlib.util.find_spec("yaml")
        return file_digest(Path(__file__), _SYNTAX_FILE, Path(spec.origin)) if spec and spec.origin else ""
    except (OSError, ImportError, ValueError):
        return ""


def _kept_doc(value) -> tuple[object, dict] | None:
    """(data, lines) of a cached document, or None when ``value`` is not one."""
    if not (isinstance(value, tuple) and len(value) == 2 and type(value[1]) is dict):
        return None
    data, lines = value
    for path, line in lines.items():
        if type(path) is not tuple or type(line) is not int or not all(type(p) in (str, int) for p in path):
            return None
    todo = [data]
    while todo:
        item = todo.pop()
        if type(item) is dict:
            if not all(type(k) is str for k in item):
                return None
            todo.extend(item.values())
        elif type(item) is list:
            todo.extend(item)
        elif item is not None and type(item) is not str:
            return None
    return data, lines


def _compose_fast(text: str):
    """The document's node tree from libyaml (ten times faster), or ``_SLOW`` when libyaml is missing or the
    text does not parse. Every problem, here or in :func:`_build`, goes to the pure-Python parser, so the
    messages and line numbers users see are the same with and without libyaml.
    """
    import yaml

    loader_class = getattr(yaml, "CSafeLoader", None)
    if loader_class is None:
        return _SLOW
    try:
        loader = loader_class(text)
        try:
            return loader.get_single_node()
        finally:
            loader.dispose()
    except (yaml.YAMLError, RecursionError, ValueError):
        return _SLOW


def _compose(text: str, file: str):
    """The document's node tree from PyYAML's own parser (aliases refused); InputError naming the line."""
    import yaml

    try:
        loader = _composer_class()(text)
        try:
            return loader.get_single_node()
        finally:
            loader.dispose()
    except RecursionError:
        raise InputError("the YAML is nested too deeply", file=file) from None
    except InputError as exc:
        exc.file = file
        raise
    except yaml.YAMLError as exc:
        message, line = explain_syntax(exc, text)
        raise InputError(message, file=file, line=line) from None


def _remove_unprintable(text: str) -> tuple[str, list[int]]:
    """Drop the characters YAML forbids; return the text and the (1-based) lines they were on."""
    lines: list[int] = []
    line, pos = 1, 0
    for m in _unprintable().finditer(text):
        line += len(_BREAK.findall(text, pos, m.start()))
        pos = m.start()
        if not lines or lines[-1] != line:
            lines.append(line)
    return _unprintable().sub("", text), lines


def _field_on(doc: YamlDoc, line: int) -> str:
    """The field whose value is on ``line`` (or starts before it), as ``pain_points[2]``."""
    best: tuple = ()
    best_line = 0
    for path, start in doc.lines.items():
        if best_line <= start <= line and (start > best_line or len(path) > len(best)):
            best, best_line = path, start
    return format_field_path(best) if best else f"line {line}"


def load_yaml_file(path: Path | str) -> YamlDoc:
    """Read and parse a YAML file (UTF-8, BOM allowed)."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", file=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a folder, expected a YAML file", file=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=str(path)) from None
    return load_yaml_text(decode_text(raw, str(path)), file=str(path))


def decode_text(raw: bytes, file: str) -> str:
    """A YAML file's text: UTF-8 (BOM allowed), or UTF-16/32 with its BOM (Notepad's "Unicode");
    InputError naming the line of the first byte that is not UTF-8."""
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32")):
        if raw.startswith(bom):
            return _decode_unicode(raw, codec, file)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_unicode(raw, "utf-16", file)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"not UTF-8 text (byte {exc.start}, the character {raw[exc.start : exc.start + 1]!r}); save the "
            "file as UTF-8 (in Notepad: File > Save As > Encoding: UTF-8)",
            file=file,
            line=line,
        ) from None


def _decode_unicode(raw: bytes, codec: str, file: str) -> str:
    try:
        return raw.decode(codec)
    except UnicodeDecodeError:
        raise InputError(f"not valid {codec.upper()} text; save the file as UTF-8", file=file) from None


def _build(node, path: tuple, doc: YamlDoc, seen: set | None = None):
    """The plain value of ``node``, recording the line of ``path`` and of everything under it.

    ``seen`` holds the nodes built so far: libyaml hands an alias back as the node it names, so
    meeting one twice means the document used an alias (refused, like PyYAML's parser refuses it).
    """
    import yaml

    if seen is None:
        seen = set()
    if id(node) in seen:
        raise _AliasFound
    seen.add(id(node))
    doc.lines.setdefault(path, node.start_mark.line + 1)
    if node.tag not in _PLAIN_TAGS:
        raise InputError(
            f"YAML tag {node.tag!r} is not allowed; remove it and write the value as plain text",
            file=doc.file,
            line=node.start_mark.line + 1,
        )
    if isinstance(node, yaml.ScalarNode):
        if not node.style and node.value in _NULLS:  # plain: None from PyYAML, "" from libyaml
            return None
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_build(child, path + (i,), doc, seen) for i, child in enumerate(node.value)]
    result: dict = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise InputError(
                "a key must be plain text, not a list or a mapping", file=doc.file, line=key_node.start_mark.line + 1
            )
        key = key_node.value
        if key == "<<":
            raise InputError(
                "YAML merge keys (<<) are not supported; write the fields out",
                file=doc.file,
                line=key_node.start_mark.line + 1,
            )
        if key in result:
            raise InputError(
                f"duplicate key '{key}' (first on line {doc.lines[path + (key,)]})",
                file=doc.file,
                line=key_node.start_mark.line + 1,
            )
        doc.lines[path + (key,)] = key_node.start_mark.line + 1
        result[key] = _build(value_node, path + (key,), doc, seen)
    return result
