"""YAML syntax errors as the person who typed the file can fix them.

PyYAML says ``expected <block end>, but found '<block mapping start>'`` for a line indented one
space too far and ``mapping values are not allowed here`` for a value with ``: `` in it. This module
looks at the lines around the error and says which of the usual mistakes it is (a tab, indentation
that does not line up, a missing colon, a colon or ``#`` inside a value, a quote or bracket left
open) and on which line, in the words of someone editing a file in Notepad.
"""

from __future__ import annotations

import re

# spaces a word processor or web page puts in place of ordinary ones (no-break, figure, ideographic, …)
_ODD_SPACES = re.compile("^[ \t]*[\u00a0\u2007\u202f\u3000][ \u00a0\u2007\u202f\u3000]*", re.MULTILINE)


def indent_spaces(text: str) -> str:
    """``text`` with no-break and other odd spaces at the start of a line made ordinary spaces.

    A line indented with a no-break space (pasted from a web page or Word) looks right but is not
    indentation to YAML, so its field would silently become part of the line above.
    """
    if not _ODD_SPACES.search(text):
        return text
    return _ODD_SPACES.sub(lambda m: " " * len(m.group()), text)


def explain_syntax(exc, text: str) -> tuple[str, int | None]:
    """The message and 1-based line for PyYAML's ``exc`` on ``text``."""
    mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None) or ""
    line = mark.line + 1 if mark else None
    lines = text.splitlines()
    here = lines[line - 1] if line and line <= len(lines) else ""
    if "'\\t'" in problem or "\t" in here[: len(here) - len(here.lstrip())]:
        return "a tab at the start of the line: YAML indents with spaces only; replace the tab with spaces", line
    if problem == "mapping values are not allowed here" and line:
        return _colon_problem(lines, line)
    if problem == "could not find expected ':'" and context_mark is not None:
        start = context_mark.line + 1
        return _NO_COLON, start
    if problem.startswith(("expected <block end>", "did not find expected key")) or "block" in context:
        bare = _bare_line_above(lines, line) if line else None
        if bare is not None:
            return _NO_COLON, bare
        above = context_mark.line + 1 if context_mark is not None else None
        where = f" with line {above} above" if above and above != line else ""
        return (
            f"the indentation of this line does not line up{where}: give the fields at one level the same "
            "number of spaces at the start of the line",
            line,
        )
    if "quoted scalar" in context and context_mark is not None:
        start = context_mark.line + 1
        return f"a quote opened on line {start} is never closed: end the value with the same quote mark", start
    if "flow" in context and context_mark is not None:
        start = context_mark.line + 1
        return f"a [ or {{ opened on line {start} is not closed: end the list with ] (or the group with }})", start
    return f"not valid YAML: {problem}", line


def _colon_problem(lines: list[str], line: int) -> tuple[str, int]:
    """``mapping values are not allowed here``: ': ' in a value, a line above without a colon, or a deeper indent."""
    here = lines[line - 1]
    value = here.split(": ", 1)[1] if ": " in here else ""
    if ": " in value.split(" #")[0] or value.rstrip().endswith(":"):
        return _COLON_IN_VALUE, line
    bare = _bare_line_above(lines, line)
    if bare is not None:
        return _NO_COLON, bare
    prev_no = _content_above(lines, line)
    if prev_no is not None:
        prev = lines[prev_no - 1]
        body = prev.strip()
        deeper = _indent(here) > _indent(prev)
        if deeper and not body.endswith((":", ">-", ">", "|", "|-")) and not body.startswith("- "):
            return (
                f"this line is indented further than line {prev_no} above: give the fields at one level "
                "the same number of spaces at the start of the line",
                line,
            )
    return _COLON_IN_VALUE, line


_NO_COLON = "this line has no colon after its field name; write it as 'name: value', e.g. website: www.example.com"
_COLON_IN_VALUE = (
    "a colon followed by a space inside a value: put the whole value in double quotes, "
    'e.g. one_liner: "Our promise: fewer IT emergencies"'
)


def _bare_line_above(lines: list[str], line: int) -> int | None:
    """The line above ``line``, at its indent, that is a field name with no colon (``website www.x.com``)."""
    prev_no = _content_above(lines, line)
    if prev_no is None:
        return None
    prev = lines[prev_no - 1]
    body = prev.split(" #")[0].strip()
    if _indent(prev) != _indent(lines[line - 1]) or body.startswith(("-", '"', "'")) or ":" in body:
        return None
    return prev_no


def _content_above(lines: list[str], line: int) -> int | None:
    return next((n for n in range(line - 1, 0, -1) if _content(lines[n - 1])), None)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content(line: str) -> bool:
    body = line.strip()
    return bool(body) and not body.startswith("#")


# ``key: value #word``: a " #" that YAML reads as a comment but that looks like part of the value (``Suite #4``,
# an unquoted colour ``#14365D``); a real comment has a space after its "#" (``# deep navy``)
_CUT_BY_COMMENT = re.compile(r"^\s*(?:-\s+)?[^\s#\"'][^:#]*:(?:[ \t]+([^\"'#\s][^#]*?))?[ \t]+(#[^\s#][^\n]*)$")


def comment_cuts(text: str) -> list[tuple[int, str, str]]:
    """(line, value kept, text dropped) for each value YAML cut short at a ``#`` that looks like part of it."""
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        if "#" not in line:
            continue
        m = _CUT_BY_COMMENT.match(line)
        if m:
            out.append((number, (m.group(1) or "").strip(), m.group(2).strip()))
    return out


def comment_cut_message(kept: str, dropped: str) -> str:
    """What to do about a value cut at a ``#``."""
    if not kept:
        return f"'{dropped}' was read as a comment (a # starts one), so the value is empty; quote it: \"{dropped}\""
    return (
        f"the text from ' #' on was read as a comment, so the value is '{kept}'; if '{dropped}' belongs to it, "
        f'put the whole value in double quotes: "{kept} {dropped}"'
    )
