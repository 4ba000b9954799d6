"""The syntax tree of generated code, parsed once per text, the source of its nodes, and
edits of that source.

The schemas module goes through a dozen passes, each reading its tree; a pass that
changes nothing hands the next the same text, whose tree is the one already parsed
(the openai contract's module, 35 MB, takes about 5 s to parse). Trees are shared:
read them, never change them.
"""

from __future__ import annotations

import ast
import io
from collections.abc import Iterable, Iterator
from functools import lru_cache

from generators.collector import paused


@lru_cache(maxsize=1)
def parsed(code: str) -> ast.Module:
    """The tree of ``code`` (the same object for the same text: read it, never change it),
    made with the garbage collector paused (``generators.collector``)."""
    with paused():
        return ast.parse(code)


def statements(node: ast.Module | ast.ClassDef) -> Iterator[ast.stmt]:
    """The statements of a module and of its classes, nested ones too (not those inside a
    function): where its classes and their fields are. A pass looking for those reads
    these rather than ``ast.walk``'s every node: pagerduty's module (800 KB) has 3,474
    fields among a million nodes; walking them all took 0.09 s, these 0.003 s."""
    for statement in node.body:
        yield statement
        if isinstance(statement, ast.ClassDef):
            yield from statements(statement)


def segment(code: str, node: ast.expr) -> str:
    """``ast.get_source_segment(code, node)`` from the lines of ``code`` split once: the
    library splits the whole code again at each call, quadratic over a module's fields."""
    lines = _parser_lines(code)
    first, last = node.lineno - 1, (node.end_lineno or node.lineno) - 1
    start, end = node.col_offset, node.end_col_offset or 0
    if first == last:
        return lines[first].encode()[start:end].decode()
    head, tail = lines[first].encode()[start:].decode(), lines[last].encode()[:end].decode()
    return head + "".join(lines[first + 1 : last]) + tail


def spliced(data: bytes, edits: Iterable[tuple[int, int, bytes]]) -> bytes:
    """``data`` with each edit ``(begin, end, new)`` made (offsets into ``data``, edits
    apart from each other), joined once: splicing them in one by one copied the whole
    text at each edit, quadratic over the openai module (35 MB, hundreds of edits)."""
    pieces, done = [], len(data)  # data[done:] is in pieces (reversed)
    for begin, end, new in sorted(edits, reverse=True):
        if end > done:
            raise ValueError(f"edits overlap at byte {done}")
        pieces += [data[end:done], new]
        done = begin
    pieces.append(data[:done])
    return b"".join(reversed(pieces))


@lru_cache(maxsize=1)
def _parser_lines(code: str) -> tuple[str, ...]:
    """The lines of ``code`` as the parser counts them (``\\r\\n``, ``\\r`` or ``\\n`` ends
    one; a form feed does not, unlike ``str.splitlines``)."""
    return tuple(io.StringIO(code, newline="").readlines())
