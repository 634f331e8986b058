"""blocktop expressions to dask.array, from the syntax tree blocktop sends, through a whitelist.

blocktop parses and checks the expression, then sends its syntax tree as JSON (see
Sources/Expressions/SyntaxJSON.swift). This module walks that tree and builds the same
computation with dask.array: every node type, operator, function, keyword and attribute it
meets must be in the tables below, or translation stops with a `TranslationError` naming it.
No user text is ever evaluated, looked up with getattr, or imported.

Values follow blocktop's rules: numbers fold to numbers (C double arithmetic), comparisons give
1.0 and 0.0, every array is float64, and the creation calls get their blocks from `chunks=`, the
command line's override, or its default chunks, as blocktop's own `Arguments.creationChunks`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

import dask.array as da
import numpy as np

from blocktop_bridge import blocks

SYNTAX_VERSION = 1

Value = float | str | None | tuple["Value", ...] | da.Array
"""What an expression's node stands for."""
Node = Mapping[str, Any]
"""A node of the syntax JSON (untrusted: every field is checked where it is used)."""


class TranslationError(ValueError):
    """An expression the bridge will not translate, saying which part and why."""


_BINARY_OPERATORS: dict[str, Any] = {
    "+": np.add, "-": np.subtract, "*": np.multiply, "/": np.true_divide, "%": np.mod, "**": np.power,
    "<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal,
    "==": np.equal, "!=": np.not_equal, "&": np.logical_and, "|": np.logical_or,
}
# Functions and operators whose NumPy result is bool, which blocktop gives as 1.0 and 0.0.
_TRUTH_VALUED: set[Any] = {np.less, np.less_equal, np.greater, np.greater_equal, np.equal, np.not_equal,
                 np.logical_and, np.logical_or, np.logical_not, np.isnan, np.isfinite}
_UNARY_FUNCTIONS: dict[str, Any] = {
    "abs": np.absolute, "sqrt": np.sqrt, "exp": np.exp, "log": np.log, "sin": np.sin, "cos": np.cos,
    "tan": np.tan, "tanh": np.tanh, "negative": np.negative, "isnan": np.isnan, "isfinite": np.isfinite,
    "logical_not": np.logical_not,
}
_BINARY_FUNCTIONS: dict[str, Any] = {"maximum": np.maximum, "minimum": np.minimum, "power": np.power, "mod": np.mod,
                     "remainder": np.mod, "logical_and": np.logical_and, "logical_or": np.logical_or}
_CONSTANTS: dict[str, float | None] = {
    "pi": math.pi, "e": 2.718281828459045, "inf": math.inf, "nan": math.nan,
    "True": 1.0, "False": 0.0, "None": None, "newaxis": None,
}
_REDUCTIONS: dict[str, Callable[..., da.Array]] = {"sum": da.sum, "mean": da.mean, "min": da.min, "max": da.max, "prod": da.prod,
               "var": da.var, "std": da.std, "nansum": da.nansum, "nanmean": da.nanmean, "nanmin": da.nanmin,
               "nanmax": da.nanmax, "nanvar": da.nanvar, "nanstd": da.nanstd}
_TAKING_DDOF = {"var", "std", "nanvar", "nanstd"}
_ARG_REDUCTIONS: dict[str, Callable[..., da.Array]] = {"argmin": da.argmin, "argmax": da.argmax}
_SCANS: dict[str, Callable[..., da.Array]] = {"cumsum": da.cumsum, "cumprod": da.cumprod}


def translate(document: str | bytes | Mapping[str, Any]) -> da.Array:
    """The dask array (float64) of a program, from its syntax JSON (a str or the parsed dict).

    Raises `TranslationError` for anything off the whitelist or a document of another version.
    """
    if isinstance(document, (str, bytes)):
        document = json.loads(document)
    if not isinstance(document, dict) or document.get("version") != SYNTAX_VERSION:
        version = document.get("version") if isinstance(document, dict) else None
        raise TranslationError(f"syntax JSON version {version!r} is not {SYNTAX_VERSION}")
    return _Translator(document["defaults"]).program(document["statements"])


def _chunk_spec(value: object) -> Any:
    """A chunk specification as dask takes it: a size, a size per axis, or sizes per axis."""
    if isinstance(value, (int, float)):
        return _whole(value, "chunks")
    if isinstance(value, (list, tuple)):
        return tuple(_chunk_spec(item) for item in value)
    raise TranslationError(f"chunks must be sizes, not {_describe(value)}")


def _whole(value: object, what: str) -> int:
    """`value` as an int when it is a whole number (as blocktop takes one), else a TranslationError."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not float(value).is_integer() \
            or abs(value) >= 1e15:
        raise TranslationError(f"{what} must be a whole number, not {_describe(value)}")
    assert isinstance(value, int | float)  # checked above
    return int(value)


def _describe(value: object) -> str:
    """A value's kind for messages, as blocktop names it."""
    if isinstance(value, da.Array):
        return "an array"
    if isinstance(value, tuple):
        return "a sequence"
    if isinstance(value, str):
        return "a string"
    if value is None:
        return "None"
    return "a number" if isinstance(value, float) else type(value).__name__


def _number(value: Any) -> Value:
    """A NumPy result as a plain float when it is a number, else as it is."""
    return value if isinstance(value, da.Array) else float(value)


def _array(value: object, what: str) -> da.Array:
    """An array, numbers becoming 0-d arrays."""
    if isinstance(value, da.Array):
        return value
    if isinstance(value, float):
        scalar: da.Array = da.from_array(np.array(value, dtype=np.float64))
        return scalar
    raise TranslationError(f"{what} must be an array, not {_describe(value)}")


class _Call:
    """One call's arguments bound to its parameters by name, as Python binds them."""

    def __init__(self, function: str, parameters: Sequence[str], positional: Sequence[Value],
                 keywords: Mapping[str, Value]) -> None:
        self.function = function
        if len(positional) > len(parameters):
            raise TranslationError(f"{function}() takes at most {len(parameters)} positional arguments")
        self.values: dict[str, Value] = dict(zip(parameters, positional, strict=False))
        for label, value in keywords.items():
            if label not in parameters or label in self.values:
                raise TranslationError(f"{function}() has no argument {label!r} the bridge translates")
            self.values[label] = value

    def __getitem__(self, name: str) -> Value:
        return self.values.get(name)

    def given(self, name: str) -> bool:
        return self.values.get(name) is not None

    def array(self, name: str) -> da.Array:
        return _array(self[name], f"{self.function}(): {name!r}")

    def number(self, name: str, default: float | None = None) -> float:
        value = self[name]
        if value is None and default is not None:
            return default
        if not isinstance(value, float):
            raise TranslationError(f"{self.function}(): {name!r} must be a number, not {_describe(value)}")
        return value

    def integer(self, name: str, default: int | None = None) -> int:
        value = self[name]
        if value is None and default is not None:
            return default
        return _whole(value, f"{self.function}(): {name!r}")

    def integers(self, name: str) -> tuple[int, ...] | None:
        """None, or whole numbers from a number or a sequence of them."""
        value = self[name]
        if value is None:
            return None
        if isinstance(value, tuple):
            return tuple(_whole(item, f"{self.function}(): {name!r}") for item in value)
        return (_whole(value, f"{self.function}(): {name!r}"),)

    def boolean(self, name: str, default: bool) -> bool:
        return self.number(name) != 0 if self.given(name) else default


class _Translator:
    """Walks one program's statements, holding its variables and the command line's defaults."""

    def __init__(self, defaults: Mapping[str, Any]) -> None:
        self.default_chunks = _chunk_spec(defaults["chunks"])
        override = defaults.get("chunks_override")
        self.chunks_override = None if override is None else _chunk_spec(override)
        self.seed = defaults["seed"]
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or not 0 <= self.seed < 2 ** 64:
            raise TranslationError(f"seed {self.seed!r} is not a 64-bit unsigned number")
        self.variables: dict[str, Value] = {}

    def program(self, statements: Sequence[Node]) -> da.Array:
        value = None
        for statement in statements:
            value = self.value(statement["value"])
            if statement.get("target") is not None:
                self.variables[statement["target"]] = value
        if not statements or statements[-1].get("target") is not None:
            raise TranslationError("the last statement must be the result, not an assignment")
        result = _array(value, "the result")
        if result.dtype == np.float64:
            return result
        converted: da.Array = result.astype(np.float64)
        return converted

    def value(self, node: Any) -> Value:
        """The value of one node: a float, a str, None, a tuple, or a dask array."""
        kind = node.get("node") if isinstance(node, dict) else None
        if kind == "number":
            if isinstance(node["value"], bool) or not isinstance(node["value"], (int, float)):
                raise TranslationError(f"a number node holds {node['value']!r}")
            return float(node["value"])
        if kind == "string":
            return str(node["value"])
        if kind == "name":
            return self.name(node["id"])
        if kind == "sequence":
            return tuple(self.value(item) for item in node["items"])
        if kind == "unary":
            return self.unary(node["op"], self.value(node["operand"]))
        if kind == "binary":
            return self.binary(node["op"], self.value(node["left"]), self.value(node["right"]))
        if kind == "attribute":
            return self.attribute(self.value(node["value"]), node["attr"])
        if kind == "call":
            return self.call(node["function"], node["args"], node["keywords"])
        if kind == "subscript":
            return self.subscript(self.value(node["value"]), node["items"])
        raise TranslationError(f"syntax node {kind!r} is not on the bridge's whitelist")

    def name(self, name: str) -> Value:
        if name in self.variables:
            return self.variables[name]
        if name in _CONSTANTS:
            return _CONSTANTS[name]
        raise TranslationError(f"name {name!r} is not defined in the expression nor on the bridge's whitelist")

    def unary(self, symbol: str, value: Value) -> Value:
        if symbol == "+":
            return value
        operation = {"-": np.negative, "~": np.logical_not}.get(symbol)
        if operation is None:
            raise TranslationError(f"operator {symbol!r} is not on the bridge's whitelist")
        return self.elementwise(operation, value, repr(symbol))

    def binary(self, symbol: str, left: Value, right: Value) -> Value:
        if symbol == "@":
            product: da.Array = da.matmul(_array(left, "'@'"), _array(right, "'@'"))
            return product
        operation = _BINARY_OPERATORS.get(symbol)
        if operation is None:
            raise TranslationError(f"operator {symbol!r} is not on the bridge's whitelist")
        return self.elementwise(operation, left, repr(symbol), right)

    def attribute(self, value: Value, name: str) -> Value:
        if not isinstance(value, da.Array):
            raise TranslationError(f"{_describe(value)} has no attribute {name!r}")
        if name == "T":
            transposed: da.Array = value.T
            return transposed
        if name == "shape":
            return tuple(float(extent) for extent in value.shape)
        if name == "ndim":
            return float(value.ndim)
        if name == "size":
            return float(value.size)
        raise TranslationError(f"attribute {name!r} is not on the bridge's whitelist")

    def call(self, callee: Any, arguments: Sequence[Node], keywords: Mapping[str, Node]) -> Value:
        positional: list[Value] = []
        kind = callee.get("node") if isinstance(callee, dict) else None
        if kind == "name":
            name = callee["id"]
        elif kind == "attribute":
            name = callee["attr"]
            positional.append(self.value(callee["value"]))
        else:
            raise TranslationError("only functions and methods can be called")
        entry = _FUNCTIONS.get(name)
        if entry is None:
            raise TranslationError(f"function {name!r} is not on the bridge's whitelist")
        parameters, build = entry
        positional += [self.value(argument) for argument in arguments]
        if name == "reshape" and len(positional) > len(parameters):
            # `x.reshape(4, 6)`: the last parameter takes the rest as a tuple, as NumPy's.
            positional = positional[:len(parameters) - 1] + [tuple(positional[len(parameters) - 1:])]
        bound = _Call(name, parameters, positional, {label: self.value(value) for label, value in keywords.items()})
        return build(self, bound)

    def subscript(self, value: Value, items: Sequence[Node]) -> Value:
        if not isinstance(value, da.Array):
            raise TranslationError(f"cannot index {_describe(value)}")
        selection: list[int | slice | None] = []
        for item in items:
            if "index" in item:
                selection.append(self.position(item["index"]))
            elif "slice" in item:
                selection.append(slice(*(None if part is None else self.bound(part) for part in item["slice"])))
            else:
                raise TranslationError(f"subscript item {sorted(item)} is not on the bridge's whitelist")
        selected: da.Array = value[tuple(selection)]
        return selected

    def position(self, node: Node) -> int | None:
        """A whole number, or None (`None`, `newaxis`) for a new axis."""
        value = self.value(node)
        return None if value is None else _whole(value, "an index")

    def bound(self, node: Node) -> int:
        """A slice's start, stop or step: a whole number."""
        return _whole(self.value(node), "a slice bound")

    def creation_chunks(self, call: _Call) -> Any:
        """The blocks of a creation call: the override, else its `chunks=`, else the default."""
        given = _chunk_spec(call["chunks"]) if call.given("chunks") else None
        if self.chunks_override is not None:
            return self.chunks_override
        return self.default_chunks if given is None else given

    def call_seed(self, call: _Call) -> int:
        return call.integer("seed") if call.given("seed") else self.seed

    def full(self, call: _Call, value: float) -> da.Array:
        shape = call.integers("shape")
        filled: da.Array = da.full(shape, value, chunks=self.creation_chunks(call), dtype=np.float64)
        return filled

    def load(self, call: _Call) -> da.Array:
        """load(file, chunks=): `.npy` files only; blocks from chunks=, the override, else the file's."""
        path = call["file"]
        if not isinstance(path, str):
            raise TranslationError(f"load(): 'file' must be a string, not {_describe(path)}")
        if not path.endswith(".npy"):
            raise TranslationError(f"load(): only .npy files are translated, not {path!r}")
        chunks = self.creation_chunks(call) if call.given("chunks") or self.chunks_override is not None else None
        return blocks.load_npy(path, chunks)

    def arange(self, call: _Call) -> da.Array:
        """arange(stop) or arange(start, stop[, step]), as NumPy."""
        first = call.number("start")
        start, stop = (first, call.number("stop")) if call.given("stop") else (0.0, first)
        return blocks.arange(start, stop, call.number("step", 1.0), self.creation_chunks(call))

    @staticmethod
    def elementwise(function: Any, x: Value, name: str, *others: Value) -> Value:
        operands = (x,) + others
        for operand in operands:
            if not isinstance(operand, (float, da.Array)):
                raise TranslationError(f"{name} needs numbers or arrays, not {_describe(operand)}")
        with np.errstate(all="ignore"):
            result = function(*operands)
        return _number(result.astype(np.float64) if function in _TRUTH_VALUED else result)

    @staticmethod
    def reduction(function: Callable[..., da.Array], call: _Call) -> da.Array:
        options: dict[str, object] = {"axis": call.integers("axis"), "keepdims": call.boolean("keepdims", False)}
        if call.given("split_every"):
            options["split_every"] = call.integer("split_every")
        if call.function in _TAKING_DDOF:
            options["ddof"] = call.integer("ddof", 0)
        elif call.given("ddof"):
            raise TranslationError(f"{call.function}(): only var, std, nanvar and nanstd take ddof")
        return function(call.array("x"), **options)

    @staticmethod
    def arrays(call: _Call) -> list[da.Array]:
        items = call["arrays"]
        if not isinstance(items, tuple):
            raise TranslationError(f"{call.function}(): 'arrays' must be a list of arrays, not {_describe(items)}")
        return [_array(item, f"{call.function}(): 'arrays'") for item in items]

    @staticmethod
    def dtype(call: _Call) -> str:
        value = call["dtype"]
        if not isinstance(value, str) or value not in blocks.ELEMENT_TYPES:
            raise TranslationError(f"astype(): dtype {value!r} is not one of {', '.join(blocks.ELEMENT_TYPES)}")
        return value

    @staticmethod
    def boundary(call: _Call) -> str | float:
        value = call["boundary"]
        if value is None:
            return "periodic"
        if isinstance(value, float) or isinstance(value, str) and value in ("periodic", "reflect", "none"):
            return value
        raise TranslationError(f"{call.function}(): boundary {value!r} is not 'periodic', 'reflect', 'none' or a number")


Builder = Callable[[_Translator, _Call], Value]
"""Builds a function's value from its bound arguments."""


def _shape(call: _Call) -> tuple[int, ...]:
    """A creation call's shape (None, when not given, fails in the call as a malformed program)."""
    return cast(tuple[int, ...], call.integers("shape"))


def _unary(function: Any) -> Builder:
    def build(t: _Translator, c: _Call) -> Value:
        return t.elementwise(function, c["x"], f"{c.function}()")
    return build


def _binary(function: Any) -> Builder:
    def build(t: _Translator, c: _Call) -> Value:
        return t.elementwise(function, c["x1"], f"{c.function}()", c["x2"])
    return build


def _reduction(function: Callable[..., da.Array]) -> Builder:
    def build(t: _Translator, c: _Call) -> Value:
        return t.reduction(function, c)
    return build


def _scan(function: Callable[..., da.Array]) -> Builder:
    def build(t: _Translator, c: _Call) -> Value:
        return function(c.array("x"), axis=c.integer("axis") if c.given("axis") else None)
    return build


def _arg_reduction(function: Callable[..., da.Array]) -> Builder:
    def build(t: _Translator, c: _Call) -> Value:
        indices = function(c.array("x"), axis=c.integer("axis") if c.given("axis") else None,
                           split_every=c.integer("split_every") if c.given("split_every") else None)
        as_float: da.Array = indices.astype(np.float64)
        return as_float
    return build


def _function_table() -> dict[str, tuple[list[str], Builder]]:
    """Every function the bridge translates: name → (parameters in Python order, builder)."""
    table: dict[str, tuple[list[str], Builder]] = {
        "random": (["shape", "chunks", "seed"], lambda t, c: blocks.random(
            _shape(c), t.creation_chunks(c), t.call_seed(c))),
        "normal": (["shape", "chunks", "seed", "loc", "scale"], lambda t, c: blocks.normal(
            _shape(c), t.creation_chunks(c), t.call_seed(c),
            c.number("loc", 0.0), c.number("scale", 1.0))),
        "ones": (["shape", "chunks"], lambda t, c: t.full(c, 1.0)),
        "zeros": (["shape", "chunks"], lambda t, c: t.full(c, 0.0)),
        "full": (["shape", "fill_value", "chunks"], lambda t, c: t.full(c, c.number("fill_value"))),
        "arange": (["start", "stop", "step", "chunks"], _Translator.arange),
        "linspace": (["start", "stop", "num", "endpoint", "chunks"], lambda t, c: blocks.linspace(
            c.number("start"), c.number("stop"), c.integer("num", 50), c.boolean("endpoint", True),
            t.creation_chunks(c))),
        "eye": (["N", "M", "k", "chunks"], lambda t, c: blocks.eye(
            c.integer("N"), c.integer("M") if c.given("M") else c.integer("N"), c.integer("k", 0),
            t.creation_chunks(c))),
        "clip": (["x", "a_min", "a_max"], lambda t, c: cast(da.Array, np.minimum(
            np.maximum(c.array("x"), c.number("a_min")), c.number("a_max")))),
        "check_finite": (["x"], lambda t, c: blocks.check_finite(c.array("x"))),
        "astype": (["x", "dtype"], lambda t, c: blocks.astype(c.array("x"), t.dtype(c))),
        "where": (["condition", "x", "y"], lambda t, c: da.where(
            c.array("condition") != 0, c.array("x"), c.array("y"))),
        "matmul": (["x1", "x2"], lambda t, c: da.matmul(c.array("x1"), c.array("x2"))),
        "dot": (["a", "b"], lambda t, c: da.matmul(c.array("a"), c.array("b"))),
        "transpose": (["x", "axes"], lambda t, c: da.transpose(c.array("x"), c.integers("axes"))),
        "reshape": (["x", "shape"], lambda t, c: c.array("x").reshape(c.integers("shape"))),
        "rechunk": (["x", "chunks"], lambda t, c: c.array("x").rechunk(_chunk_spec(c["chunks"]))),
        "concatenate": (["arrays", "axis"], lambda t, c: da.concatenate(
            t.arrays(c), axis=c.integer("axis", 0))),
        "stack": (["arrays", "axis"], lambda t, c: da.stack(t.arrays(c), axis=c.integer("axis", 0))),
        "load": (["file", "chunks", "dataset"], _Translator.load),
        "laplacian": (["x", "boundary"], lambda t, c: blocks.laplacian(c.array("x"), t.boundary(c))),
        "diffuse": (["x", "steps", "rate", "boundary"], lambda t, c: blocks.diffuse(
            c.array("x"), c.integer("steps", 10), c.number("rate", 0.1), t.boundary(c))),
    }
    for name, function in _UNARY_FUNCTIONS.items():
        table[name] = (["x"], _unary(function))
    for name, function in _BINARY_FUNCTIONS.items():
        table[name] = (["x1", "x2"], _binary(function))
    for name, function in _REDUCTIONS.items():
        table[name] = (["x", "axis", "keepdims", "split_every", "ddof"], _reduction(function))
    for name, function in _SCANS.items():
        table[name] = (["x", "axis"], _scan(function))
    for name, function in _ARG_REDUCTIONS.items():
        table[name] = (["x", "axis", "split_every"], _arg_reduction(function))
    return table


_FUNCTIONS = _function_table()
FUNCTION_NAMES: frozenset[str] = frozenset(_FUNCTIONS)
"""Every function an expression may call through the bridge (blocktop's builtins: Tests check they match)."""
