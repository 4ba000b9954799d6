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
import re
from collections.abc import Callable, Collection, Iterable, Iterator
from functools import lru_cache, partial

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


# A line that may begin a statement of the module: at its first column, neither blank,
# a comment, nor the closing bracket of a statement begun above (ruff indents the rest).
_TOP_LEVEL_START = re.compile(r"^[^\s#)\]}]", re.MULTILINE)
_NAMED = re.compile(r"(?:class\s+(\w+)|(\w+)\s*[=:])")
_IMPORT = re.compile(r"(?:from|import)\s")
_WORTH_A_WHOLE_PARSE = 0.25
"""From which share of the module's statements parsing the module once costs less."""


def named_statements(code: str, names: Collection[str]) -> list[ast.stmt]:
    """The statements of the module ``code`` that define one of ``names`` (a class, with
    its decorators, or an assignment), in order: those of :func:`parsed`'s tree, with the
    same lines and columns, each parsed alone where they are few (:func:`_some`)."""
    starts = [match.start() for match in _TOP_LEVEL_START.finditer(code)]
    wanted = [
        index
        for index, start in enumerate(starts)
        if (found := _NAMED.match(code, start)) is not None
        and (found.group(1) or found.group(2)) in names
    ]
    return _some(code, starts, wanted, partial(_named_in, names=names))


def imports(code: str) -> list[ast.stmt]:
    """The import statements of the module ``code`` (not those nested in another
    statement), as :func:`named_statements` finds its statements."""
    starts = [match.start() for match in _TOP_LEVEL_START.finditer(code)]
    wanted = [index for index, start in enumerate(starts) if _IMPORT.match(code, start)]
    return _some(code, starts, wanted, _imports_in)


def _some(
    code: str,
    starts: list[int],
    wanted: list[int],
    select: Callable[[ast.Module], list[ast.stmt]],
) -> list[ast.stmt]:
    """What ``select`` finds in the module's tree, of the statements beginning at the
    ``wanted`` ones of ``starts``: each of those parsed alone where they are few, so that
    a pass reading a few statements of a large module need not parse the whole of it
    again (pagerduty's schemas module: 0.1 s a parse, seven passes). A statement that does
    not read back as one ``select`` finds (a line at the first column inside a string
    cut it short) sends it to the whole module's tree."""
    if len(wanted) > _WORTH_A_WHOLE_PARSE * len(starts):
        return select(parsed(code))
    statements: list[ast.stmt] = []
    counted, line = 0, 1  # the line code[counted] is on
    with paused():
        for index in wanted:
            first = index
            while first > 0 and code.startswith("@", starts[first - 1]):
                first -= 1  # its decorators
            begin = starts[first]
            end = starts[index + 1] if index + 1 < len(starts) else len(code)
            line += code.count("\n", counted, begin)
            counted = begin
            alone = _alone(code[begin:end], line)
            if alone is None or not select(alone):
                return select(parsed(code))
            statements.append(alone.body[0])
    return statements


def _alone(text: str, line: int) -> ast.Module | None:
    """``text``, one statement of a module beginning at ``line``, parsed with the lines
    it has there; None where it is not one statement."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return None
    if len(tree.body) != 1:
        return None
    return ast.increment_lineno(tree, line - 1)


def _named_in(tree: ast.Module, names: Collection[str]) -> list[ast.stmt]:
    return [
        node
        for node in tree.body
        if isinstance(node, ast.ClassDef)
        and node.name in names
        or isinstance(node, ast.Assign | ast.AnnAssign)
        and any(
            isinstance(target, ast.Name) and target.id in names
            for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        )
    ]


def _imports_in(tree: ast.Module) -> list[ast.stmt]:
    return [node for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]
