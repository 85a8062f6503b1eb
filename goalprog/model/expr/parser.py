"""A strict recursive-descent parser for goalprog expressions (no ``eval``, no ``ast``).

Grammar (lowest precedence first)::

    expression  := or_expr
    or_expr     := and_expr ('or' and_expr)*
    and_expr    := not_expr ('and' not_expr)*
    not_expr    := 'not' not_expr | comparison
    comparison  := additive (('<=' | '>=' | '==' | '<' | '>' | '!=' | 'in' | 'not' 'in') additive)*
    additive    := term (('+' | '-') term)*
    term        := unary (('*' | '/') unary)*
    unary       := ('-' | '+') unary | postfix
    postfix     := atom ('[' expression (',' expression)* ']')?
    atom        := NUMBER | STRING | NAME | `quoted name` | '(' expression (',' expression)* ')'
                 | 'sum' '(' expression for_clause+ ('if' expression)? ')'
                 | ('min' | 'max' | 'abs') '(' expression (',' expression)* ')'
    for_clause  := 'for' targets 'in' NAME
    targets     := NAME | '(' NAME (',' NAME)* ')' | NAME (',' NAME)+

Numbers: ``12``, ``1.5``, ``.5``, ``1e5``, ``2.5E+4``, ``1_000``.  Names are Python-style
identifiers (unicode letters allowed) or any text in backticks: `` `total cost` ``.
Strings in single or double quotes are set members: ``make['pants', m]``.

:func:`parse` raises :class:`~goalprog.core.errors.ExpressionError` with the offending span.
:func:`parse_for` parses a ``for:`` header such as ``p in products, m in months``.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from ...core.errors import ExpressionError, Issue, SourceLocation, clip
from ...core.limits import MAX_EXPRESSION_TERMS
from .ast import BinOp, Call, Compare, ForClause, Index, Name, Node, Num, Str, Sum, Tuple, Unary

KEYWORDS = {"for", "in", "if", "and", "or", "not", "sum"}
MAX_DEPTH = 60  # parentheses, sum(...) and index brackets inside each other
CONST_FUNCS = {"min", "max", "abs"}

_NUMBER = re.compile(r"(?:[0-9][0-9_]*\.?[0-9_]*|\.[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)?")
_OPS = ("<=", ">=", "==", "!=", "**", "<", ">", "=", "+", "-", "*", "/", "(", ")", "[", "]", ",", "^", "%")


_DIGITS = frozenset("0123456789")


def _name_char(ch: str) -> bool:
    """Can ``ch`` continue a name?  (Python identifier rules: letters, digits 0-9, underscore.)"""
    return ("a" + ch).isidentifier()


@dataclass(frozen=True)
class Token:
    kind: str  # 'num', 'name', 'str', 'op', 'end'
    text: str
    start: int
    end: int
    value: object = None


class _Fail(Exception):
    def __init__(self, message: str, span: tuple[int, int], hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.span = span
        self.hint = hint


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens; raises ``_Fail`` on a character that cannot start a token."""
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if ch in _DIGITS or (ch == "." and i + 1 < n and text[i + 1] in _DIGITS):
            m = _NUMBER.match(text, i)
            j = m.end()
            if j < n and _name_char(text[j]):
                k = j
                while k < n and _name_char(text[k]):
                    k += 1
                raise _Fail(f"'{clip(text[i:k])}' is not a number or a name", (i, k),
                            "write a multiplication explicitly, e.g. 3*x, not 3x")
            raw = text[i:j].replace("_", "")
            tokens.append(Token("num", text[i:j], i, j, float(raw)))
            i = j
            continue
        if ch.isidentifier():
            j = i + 1
            while j < n and _name_char(text[j]):
                j += 1
            tokens.append(Token("name", text[i:j], i, j, text[i:j]))
            i = j
            continue
        if ch == "`":
            j = text.find("`", i + 1)
            if j < 0:
                raise _Fail("unclosed backtick name", (i, n), "close the name with a backtick: `total cost`")
            name = text[i + 1:j]
            if not name.strip():
                raise _Fail("empty backtick name", (i, j + 1))
            tokens.append(Token("qname", text[i:j + 1], i, j + 1, name))
            i = j + 1
            continue
        if ch in "'\"":
            j = text.find(ch, i + 1)
            if j < 0:
                raise _Fail("unclosed string", (i, n), f"close the string with {ch}")
            tokens.append(Token("str", text[i:j + 1], i, j + 1, text[i + 1:j]))
            i = j + 1
            continue
        for op in _OPS:
            if text.startswith(op, i):
                tokens.append(Token("op", op, i, i + len(op)))
                i += len(op)
                break
        else:
            raise _Fail(f"unexpected character {ch!r}", (i, i + 1),
                        "expressions use numbers, names, + - * /, parentheses, x[i, j] and sum(... for i in S)")
    tokens.append(Token("end", "", n, n))
    return tokens


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = tokenize(text)
        self.pos = 0
        self.depth = 0

    # -- token helpers -------------------------------------------------------------------------
    @property
    def tok(self) -> Token:
        return self.tokens[self.pos]

    def peek(self, k: int = 1) -> Token:
        return self.tokens[min(self.pos + k, len(self.tokens) - 1)]

    def at(self, kind: str, text: str | None = None) -> bool:
        t = self.tok
        if t.kind != kind:
            return False
        return text is None or t.text == text

    def at_op(self, *ops: str) -> bool:
        return self.tok.kind == "op" and self.tok.text in ops

    def at_kw(self, kw: str) -> bool:
        return self.tok.kind == "name" and self.tok.text == kw

    def advance(self) -> Token:
        t = self.tok
        self.pos += 1
        return t

    def expect_op(self, op: str, what: str) -> Token:
        if not self.at_op(op):
            t = self.tok
            found = "the end of the expression" if t.kind == "end" else clip(repr(t.text))
            raise _Fail(f"expected {op!r} {what}, found {found}", (t.start, max(t.end, t.start + 1)))
        return self.advance()

    def fail_here(self, message: str, hint: str | None = None):
        t = self.tok
        raise _Fail(message, (t.start, max(t.end, t.start + 1)), hint)

    # -- grammar -------------------------------------------------------------------------------
    def parse_all(self) -> Node:
        if self.tok.kind == "end":
            raise _Fail("the expression is empty", (0, max(1, len(self.text))))
        node = self.expression()
        if self.tok.kind != "end":
            t = self.tok
            hint = None
            if t.kind in ("name", "num", "qname"):
                hint = "an operator is missing; write multiplication as 3*x"
            nxt = self.peek()
            if t.kind == "op" and t.text == "," and self.pos > 0 and self.tokens[self.pos - 1].kind == "num" \
                    and nxt.kind == "num" and len(nxt.text) == 3 and nxt.text.isdigit():
                hint = "numbers are written without thousands separators: 50000, not 50,000 (1_000 is allowed)"
            raise _Fail(f"unexpected {clip(repr(t.text))} after a complete expression", (t.start, t.end), hint)
        return node

    def expression(self) -> Node:
        return self.or_expr()

    def or_expr(self) -> Node:
        left = self.and_expr()
        while self.at_kw("or"):
            self.advance()
            right = self.and_expr()
            left = BinOp("or", left, right, (left.span[0], right.span[1]))
        return left

    def and_expr(self) -> Node:
        left = self.not_expr()
        while self.at_kw("and"):
            self.advance()
            right = self.not_expr()
            left = BinOp("and", left, right, (left.span[0], right.span[1]))
        return left

    def not_expr(self) -> Node:
        nots = []
        while self.at_kw("not"):
            nots.append(self.advance())
        node = self.comparison()
        if len(nots) % 2 == 1:
            node = Unary("not", node, (nots[0].start, node.span[1]))
        return node

    def comparison(self) -> Node:
        left = self.additive()
        while True:
            if self.at_op("<=", ">=", "==", "<", ">", "!="):
                op = self.advance().text
            elif self.at_op("="):
                self.fail_here("'=' is not a comparison", "write '==' for equality")
            elif self.at_kw("in"):
                self.advance()
                op = "in"
            elif self.at_kw("not") and self.peek().kind == "name" and self.peek().text == "in":
                self.advance()
                self.advance()
                op = "not in"
            else:
                return left
            right = self.additive()
            left = Compare(op, left, right, (left.span[0], right.span[1]))

    def additive(self) -> Node:
        left = self.term()
        while self.at_op("+", "-"):
            op = self.advance().text
            right = self.term()
            left = BinOp(op, left, right, (left.span[0], right.span[1]))
        return left

    def term(self) -> Node:
        left = self.unary()
        while True:
            if self.at_op("*", "/"):
                op = self.advance().text
                right = self.unary()
                left = BinOp(op, left, right, (left.span[0], right.span[1]))
            elif self.at_op("**", "^"):
                self.fail_here("powers are not supported: goal programs are linear",
                               "write a constant power out as a number")
            elif self.at_op("%"):
                self.fail_here("'%' is not supported", "write the percentage as a fraction, e.g. 0.05")
            else:
                return left

    def unary(self) -> Node:
        signs = []
        while self.at_op("-", "+"):  # a run of signs is read in a loop, not by recursion
            signs.append(self.advance())
        node = self.postfix()
        if not signs:
            return node
        # a run of signs folds to one: an odd number of '-' negates
        negative = sum(1 for t in signs if t.text == "-") % 2 == 1
        return Unary("-" if negative else "+", node, (signs[0].start, node.span[1]))

    def postfix(self) -> Node:
        node = self.atom()
        if self.at_op("["):
            if not isinstance(node, Name):
                self.fail_here("only a name can be indexed")
            bracket = self.advance()
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise _Fail(f"the expression is nested more than {MAX_DEPTH} levels deep",
                            (bracket.start, bracket.end), "simplify the expression")
            args = [self.expression()]
            while self.at_op(","):
                self.advance()
                args.append(self.expression())
            close = self.expect_op("]", "to close the index")
            self.depth -= 1
            node = Index(node, tuple(args), (node.span[0], close.end))
            if self.at_op("["):
                self.fail_here("write several indices in one bracket: x[i, j], not x[i][j]")
        return node

    def atom(self) -> Node:
        t = self.tok
        if t.kind == "num":
            self.advance()
            return Num(t.value, (t.start, t.end))
        if t.kind == "str":
            self.advance()
            return Str(t.value, (t.start, t.end))
        if t.kind == "qname":
            self.advance()
            return Name(t.value, (t.start, t.end))
        if t.kind == "name":
            if t.text == "sum" and self.peek().kind == "op" and self.peek().text == "(":
                return self.sum_call()
            if t.text in CONST_FUNCS and self.peek().kind == "op" and self.peek().text == "(":
                return self.const_call()
            if t.text in KEYWORDS:
                self.fail_here(f"'{t.text}' is a keyword and cannot be used here",
                               f"quote a name that is a keyword with backticks: `{t.text}`")
            self.advance()
            if self.at_op("(") and t.text not in KEYWORDS:
                raise _Fail(f"unknown function {clip(repr(t.text))}", (t.start, t.end),
                            "the functions are sum(...), min(...), max(...) and abs(...); multiply with '*'")
            return Name(t.text, (t.start, t.end))
        if t.kind == "op" and t.text == "(":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise _Fail(f"the expression is nested more than {MAX_DEPTH} parentheses deep", (t.start, t.end),
                            "simplify the expression")
            self.advance()
            first = self.expression()
            self.depth -= 1
            if self.at_op(","):
                items = [first]
                while self.at_op(","):
                    self.advance()
                    items.append(self.expression())
                close = self.expect_op(")", "to close the parenthesis")
                return Tuple(tuple(items), (t.start, close.end))
            close = self.expect_op(")", "to close the parenthesis")
            return dataclasses.replace(first, span=(t.start, close.end))
        if t.kind == "end":
            raise _Fail("the expression ends too early", (max(0, t.start - 1), t.start + 1),
                        "an operand is missing after the last operator")
        raise _Fail(f"unexpected {clip(repr(t.text))}", (t.start, t.end))

    def sum_call(self) -> Node:
        tok = self.advance()  # 'sum'
        start = tok.start
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Fail(f"the expression is nested more than {MAX_DEPTH} levels deep", (tok.start, tok.end),
                        "simplify the expression")
        self.expect_op("(", "after sum")
        body = self.expression()
        if not self.at_kw("for"):
            self.fail_here("sum(...) needs a 'for' clause: sum(x[i] for i in S)")
        clauses = []
        while self.at_kw("for"):
            clauses.append(self.for_clause())
        cond = None
        if self.at_kw("if"):
            self.advance()
            cond = self.expression()
        close = self.expect_op(")", "to close sum(")
        self.depth -= 1
        return Sum(body, tuple(clauses), cond, (start, close.end))

    def for_clause(self) -> ForClause:
        start = self.advance().start  # 'for'
        targets = self.targets()
        if not self.at_kw("in"):
            self.fail_here("expected 'in' in the for clause: for i in S")
        self.advance()
        set_name = self.set_ref()
        return ForClause(tuple(targets), set_name, (start, set_name.span[1]))

    def targets(self) -> list[Name]:
        if self.at_op("("):
            self.advance()
            names = [self.target_name()]
            while self.at_op(","):
                self.advance()
                names.append(self.target_name())
            self.expect_op(")", "to close the index tuple")
            return names
        names = [self.target_name()]
        while self.at_op(","):
            self.advance()
            names.append(self.target_name())
        return names

    def target_name(self) -> Name:
        t = self.tok
        if t.kind == "qname" or (t.kind == "name" and t.text not in KEYWORDS):
            self.advance()
            return Name(t.value, (t.start, t.end))
        self.fail_here("expected an index name (e.g. 'p')")

    def set_ref(self) -> Name:
        t = self.tok
        if t.kind == "qname" or (t.kind == "name" and t.text not in KEYWORDS):
            self.advance()
            return Name(t.value, (t.start, t.end))
        self.fail_here("expected the name of a set after 'in'")

    def const_call(self) -> Node:
        t = self.advance()
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Fail(f"the expression is nested more than {MAX_DEPTH} levels deep", (t.start, t.end),
                        "simplify the expression")
        self.expect_op("(", f"after {t.text}")
        args = [self.expression()]
        while self.at_op(","):
            self.advance()
            args.append(self.expression())
        close = self.expect_op(")", f"to close {t.text}(")
        self.depth -= 1
        return Call(Name(t.text, (t.start, t.end)), tuple(args), (t.start, close.end))

    def for_header(self) -> tuple[list[ForClause], Node | None]:
        """``p in P, m in M if cond`` (a leading 'for' is optional)."""
        clauses: list[ForClause] = []
        while True:
            start = self.tok.start
            if self.at_kw("for"):
                self.advance()
            targets = self.targets()
            if not self.at_kw("in"):
                self.fail_here("expected 'in': write the header as 'p in products, m in months'")
            self.advance()
            set_name = self.set_ref()
            clauses.append(ForClause(tuple(targets), set_name, (start, set_name.span[1])))
            if self.at_op(","):
                self.advance()
                continue
            if self.at_kw("for"):
                continue
            break
        cond = None
        if self.at_kw("if"):
            self.advance()
            cond = self.expression()
        if self.tok.kind != "end":
            self.fail_here(f"unexpected {clip(repr(self.tok.text))} in the for header",
                           "write it as 'p in products, m in months' (optionally '... if condition')")
        return clauses, cond


def _check_terms(text: str) -> None:
    """Refuse an expression of more than :data:`~goalprog.core.limits.MAX_EXPRESSION_TERMS` terms
    before it is tokenized (counted by its operators and commas, at C speed)."""
    if len(text) <= MAX_EXPRESSION_TERMS:  # fewer characters than the limit: fewer terms too
        return
    count = 1 + sum(text.count(c) for c in "+-*/,<>=") + text.count(" and ") + text.count(" or ")
    if count > MAX_EXPRESSION_TERMS:
        raise _Fail(f"the expression has about {count:,} terms ({len(text):,} characters); an expression is "
                    f"limited to {MAX_EXPRESSION_TERMS:,} terms", (0, 1),
                    "write it with sum(... for i in S) over a set and an indexed parameter instead of term by term")


def _error(text: str, fail: _Fail, location: SourceLocation | None, shift: int) -> ExpressionError:
    loc = location or SourceLocation()
    if loc.col is not None and "\n" not in text:
        loc = loc.shifted(shift + fail.span[0])
    return ExpressionError(Issue(fail.message, loc, fail.hint, text, fail.span))


def parse(text: str, location: SourceLocation | None = None, shift: int = 0) -> Node:
    """Parse an expression, constraint or condition into a syntax tree.

    ``location`` is where ``text`` starts in the problem file and ``shift`` the column offset of
    its first character (1 for a quoted YAML scalar); both only place error messages.
    Raises :class:`~goalprog.core.errors.ExpressionError`.
    """
    if not isinstance(text, str):
        raise ExpressionError(Issue(f"expected an expression as text, got {clip(repr(text))}", location or SourceLocation()))
    try:
        _check_terms(text)
        return _Parser(text).parse_all()
    except _Fail as fail:
        raise _error(text, fail, location, shift) from None


def parse_for(text: str, location: SourceLocation | None = None, shift: int = 0) -> tuple[list[ForClause], Node | None]:
    """Parse a ``for:`` header (``p in products, m in months [if cond]``) into clauses and a condition.

    Raises :class:`~goalprog.core.errors.ExpressionError`.
    """
    if not isinstance(text, str):
        raise ExpressionError(Issue(f"expected a for header as text, got {clip(repr(text))}", location or SourceLocation(),
                                    "write e.g. for: p in products, m in months"))
    try:
        _check_terms(text)
        p = _Parser(text)
        if p.tok.kind == "end":
            raise _Fail("the for header is empty", (0, 1), "write e.g. for: p in products")
        return p.for_header()
    except _Fail as fail:
        raise _error(text, fail, location, shift) from None
