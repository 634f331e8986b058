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

import json
import math

import dask.array as da
import numpy as np

from blocktop_bridge import blocks

SYNTAX_VERSION = 1


class TranslationError(ValueError):
    """An expression the bridge will not translate, saying which part and why."""


_BINARY_OPERATORS = {
    "+": np.add, "-": np.subtract, "*": np.multiply, "/": np.true_divide, "%": np.mod, "**": np.power,
    "<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal,
    "==": np.equal, "!=": np.not_equal, "&": np.logical_and, "|": np.logical_or,
}
# Functions and operators whose NumPy result is bool, which blocktop gives as 1.0 and 0.0.
_TRUTH_VALUED = {np.less, np.less_equal, np.greater, np.greater_equal, np.equal, np.not_equal,
                 np.logical_and, np.logical_or, np.logical_not, np.isnan, np.isfinite}
_UNARY_FUNCTIONS = {
    "abs": np.absolute, "sqrt": np.sqrt, "exp": np.exp, "log": np.log, "sin": np.sin, "cos": np.cos,
    "tan": np.tan, "tanh": np.tanh, "negative": np.negative, "isnan": np.isnan, "isfinite": np.isfinite,
    "logical_not": np.logical_not,
}
_BINARY_FUNCTIONS = {"maximum": np.maximum, "minimum": np.minimum, "power": np.power, "mod": np.mod,
                     "remainder": np.mod, "logical_and": np.logical_and, "logical_or": np.logical_or}
_CONSTANTS = {
    "pi": math.pi, "e": 2.718281828459045, "inf": math.inf, "nan": math.nan,
    "True": 1.0, "False": 0.0, "None": None, "newaxis": None,
}
_REDUCTIONS = {"sum": da.sum, "mean": da.mean, "min": da.min, "max": da.max, "prod": da.prod,
               "var": da.var, "std": da.std, "nansum": da.nansum, "nanmean": da.nanmean, "nanmin": da.nanmin,
               "nanmax": da.nanmax, "nanvar": da.nanvar, "nanstd": da.nanstd}
_TAKING_DDOF = {"var", "std", "nanvar", "nanstd"}
_ARG_REDUCTIONS = {"argmin": da.argmin, "argmax": da.argmax}
_SCANS = {"cumsum": da.cumsum, "cumprod": da.cumprod}


def translate(document):
    """The dask array (float64) of a program, from its syntax JSON (a str or the parsed dict).

    Raises `TranslationError` for anything off the whitelist or a document of another version.
    """
    if isinstance(document, (str, bytes)):
        document = json.loads(document)
    if not isinstance(document, dict) or document.get("version") != SYNTAX_VERSION:
        version = document.get("version") if isinstance(document, dict) else None
        raise TranslationError(f"syntax JSON version {version!r} is not {SYNTAX_VERSION}")
    return _Translator(document["defaults"]).program(document["statements"])


def _chunk_spec(value):
    """A chunk specification as dask takes it: a size, a size per axis, or sizes per axis."""
    if isinstance(value, (int, float)):
        return _whole(value, "chunks")
    if isinstance(value, (list, tuple)):
        return tuple(_chunk_spec(item) for item in value)
    raise TranslationError(f"chunks must be sizes, not {_describe(value)}")


def _whole(value, what):
    """`value` as an int when it is a whole number (as blocktop takes one), else a TranslationError."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not float(value).is_integer() \
            or abs(value) >= 1e15:
        raise TranslationError(f"{what} must be a whole number, not {_describe(value)}")
    return int(value)


def _describe(value):
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


def _number(value):
    """A NumPy result as a plain float when it is a number, else as it is."""
    return value if isinstance(value, da.Array) else float(value)


def _array(value, what):
    """An array, numbers becoming 0-d arrays."""
    if isinstance(value, da.Array):
        return value
    if isinstance(value, float):
        return da.from_array(np.array(value, dtype=np.float64))
    raise TranslationError(f"{what} must be an array, not {_describe(value)}")


class _Call:
    """One call's arguments bound to its parameters by name, as Python binds them."""

    def __init__(self, function, parameters, positional, keywords):
        self.function = function
        if len(positional) > len(parameters):
            raise TranslationError(f"{function}() takes at most {len(parameters)} positional arguments")
        self.values = dict(zip(parameters, positional))
        for label, value in keywords.items():
            if label not in parameters or label in self.values:
                raise TranslationError(f"{function}() has no argument {label!r} the bridge translates")
            self.values[label] = value

    def __getitem__(self, name):
        return self.values.get(name)

    def given(self, name):
        return self.values.get(name) is not None

    def array(self, name):
        return _array(self[name], f"{self.function}(): {name!r}")

    def number(self, name, default=None):
        value = self[name]
        if value is None and default is not None:
            return default
        if not isinstance(value, float):
            raise TranslationError(f"{self.function}(): {name!r} must be a number, not {_describe(value)}")
        return value

    def integer(self, name, default=None):
        value = self[name]
        if value is None and default is not None:
            return default
        return _whole(value, f"{self.function}(): {name!r}")

    def integers(self, name):
        """None, or whole numbers from a number or a sequence of them."""
        value = self[name]
        if value is None:
            return None
        if isinstance(value, tuple):
            return tuple(_whole(item, f"{self.function}(): {name!r}") for item in value)
        return (_whole(value, f"{self.function}(): {name!r}"),)

    def boolean(self, name, default):
        return self.number(name) != 0 if self.given(name) else default


class _Translator:
    """Walks one program's statements, holding its variables and the command line's defaults."""

    def __init__(self, defaults):
        self.default_chunks = _chunk_spec(defaults["chunks"])
        override = defaults.get("chunks_override")
        self.chunks_override = None if override is None else _chunk_spec(override)
        self.seed = defaults["seed"]
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or not 0 <= self.seed < 2 ** 64:
            raise TranslationError(f"seed {self.seed!r} is not a 64-bit unsigned number")
        self.variables = {}
        self.functions = self._function_table()

    def program(self, statements):
        value = None
        for statement in statements:
            value = self.value(statement["value"])
            if statement.get("target") is not None:
                self.variables[statement["target"]] = value
        if not statements or statements[-1].get("target") is not None:
            raise TranslationError("the last statement must be the result, not an assignment")
        result = _array(value, "the result")
        return result if result.dtype == np.float64 else result.astype(np.float64)

    def value(self, node):
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

    def name(self, name):
        if name in self.variables:
            return self.variables[name]
        if name in _CONSTANTS:
            return _CONSTANTS[name]
        raise TranslationError(f"name {name!r} is not defined in the expression nor on the bridge's whitelist")

    def unary(self, symbol, value):
        if symbol == "+":
            return value
        operation = {"-": np.negative, "~": np.logical_not}.get(symbol)
        if operation is None:
            raise TranslationError(f"operator {symbol!r} is not on the bridge's whitelist")
        return self.elementwise(operation, value, repr(symbol))

    def binary(self, symbol, left, right):
        if symbol == "@":
            return da.matmul(_array(left, "'@'"), _array(right, "'@'"))
        operation = _BINARY_OPERATORS.get(symbol)
        if operation is None:
            raise TranslationError(f"operator {symbol!r} is not on the bridge's whitelist")
        return self.elementwise(operation, left, repr(symbol), right)

    def attribute(self, value, name):
        if not isinstance(value, da.Array):
            raise TranslationError(f"{_describe(value)} has no attribute {name!r}")
        if name == "T":
            return value.T
        if name == "shape":
            return tuple(float(extent) for extent in value.shape)
        if name == "ndim":
            return float(value.ndim)
        if name == "size":
            return float(value.size)
        raise TranslationError(f"attribute {name!r} is not on the bridge's whitelist")

    def call(self, callee, arguments, keywords):
        positional = []
        kind = callee.get("node") if isinstance(callee, dict) else None
        if kind == "name":
            name = callee["id"]
        elif kind == "attribute":
            name = callee["attr"]
            positional.append(self.value(callee["value"]))
        else:
            raise TranslationError("only functions and methods can be called")
        entry = self.functions.get(name)
        if entry is None:
            raise TranslationError(f"function {name!r} is not on the bridge's whitelist")
        parameters, build = entry
        positional += [self.value(argument) for argument in arguments]
        if name == "reshape" and len(positional) > len(parameters):
            # `x.reshape(4, 6)`: the last parameter takes the rest as a tuple, as NumPy's.
            positional = positional[:len(parameters) - 1] + [tuple(positional[len(parameters) - 1:])]
        bound = _Call(name, parameters, positional, {label: self.value(value) for label, value in keywords.items()})
        return build(bound)

    def subscript(self, value, items):
        if not isinstance(value, da.Array):
            raise TranslationError(f"cannot index {_describe(value)}")
        selection = []
        for item in items:
            if "index" in item:
                selection.append(self.position(item["index"]))
            elif "slice" in item:
                selection.append(slice(*(None if part is None else self.bound(part) for part in item["slice"])))
            else:
                raise TranslationError(f"subscript item {sorted(item)} is not on the bridge's whitelist")
        return value[tuple(selection)]

    def position(self, node):
        """A whole number, or None (`None`, `newaxis`) for a new axis."""
        value = self.value(node)
        return None if value is None else _whole(value, "an index")

    def bound(self, node):
        """A slice's start, stop or step: a whole number."""
        return _whole(self.value(node), "a slice bound")

    def creation_chunks(self, call):
        """The blocks of a creation call: the override, else its `chunks=`, else the default."""
        given = _chunk_spec(call["chunks"]) if call.given("chunks") else None
        if self.chunks_override is not None:
            return self.chunks_override
        return self.default_chunks if given is None else given

    def call_seed(self, call):
        return call.integer("seed") if call.given("seed") else self.seed

    def _function_table(self):
        """Every function the bridge translates: name → (parameters in Python order, builder)."""
        table = {
            "random": (["shape", "chunks", "seed"], lambda c: blocks.random(
                c.integers("shape"), self.creation_chunks(c), self.call_seed(c))),
            "normal": (["shape", "chunks", "seed", "loc", "scale"], lambda c: blocks.normal(
                c.integers("shape"), self.creation_chunks(c), self.call_seed(c),
                c.number("loc", 0.0), c.number("scale", 1.0))),
            "ones": (["shape", "chunks"], lambda c: self.full(c, 1.0)),
            "zeros": (["shape", "chunks"], lambda c: self.full(c, 0.0)),
            "full": (["shape", "fill_value", "chunks"], lambda c: self.full(c, c.number("fill_value"))),
            "arange": (["start", "stop", "step", "chunks"], self.arange),
            "linspace": (["start", "stop", "num", "endpoint", "chunks"], lambda c: blocks.linspace(
                c.number("start"), c.number("stop"), c.integer("num", 50), c.boolean("endpoint", True),
                self.creation_chunks(c))),
            "eye": (["N", "M", "k", "chunks"], lambda c: blocks.eye(
                c.integer("N"), c.integer("M") if c.given("M") else c.integer("N"), c.integer("k", 0),
                self.creation_chunks(c))),
            "clip": (["x", "a_min", "a_max"], lambda c: np.minimum(
                np.maximum(c.array("x"), c.number("a_min")), c.number("a_max"))),
            "check_finite": (["x"], lambda c: blocks.check_finite(c.array("x"))),
            "astype": (["x", "dtype"], lambda c: blocks.astype(c.array("x"), self.dtype(c))),
            "where": (["condition", "x", "y"], lambda c: da.where(
                c.array("condition") != 0, c.array("x"), c.array("y"))),
            "matmul": (["x1", "x2"], lambda c: da.matmul(c.array("x1"), c.array("x2"))),
            "dot": (["a", "b"], lambda c: da.matmul(c.array("a"), c.array("b"))),
            "transpose": (["x", "axes"], lambda c: da.transpose(c.array("x"), c.integers("axes"))),
            "reshape": (["x", "shape"], lambda c: c.array("x").reshape(c.integers("shape"))),
            "rechunk": (["x", "chunks"], lambda c: c.array("x").rechunk(_chunk_spec(c["chunks"]))),
            "concatenate": (["arrays", "axis"], lambda c: da.concatenate(
                self.arrays(c), axis=c.integer("axis", 0))),
            "stack": (["arrays", "axis"], lambda c: da.stack(self.arrays(c), axis=c.integer("axis", 0))),
            "load": (["file", "chunks", "dataset"], self.load),
            "laplacian": (["x", "boundary"], lambda c: blocks.laplacian(c.array("x"), self.boundary(c))),
            "diffuse": (["x", "steps", "rate", "boundary"], lambda c: blocks.diffuse(
                c.array("x"), c.integer("steps", 10), c.number("rate", 0.1), self.boundary(c))),
        }
        for name, function in _UNARY_FUNCTIONS.items():
            table[name] = (["x"], lambda c, function=function: self.elementwise(function, c["x"], f"{c.function}()"))
        for name, function in _BINARY_FUNCTIONS.items():
            table[name] = (["x1", "x2"], lambda c, function=function: self.elementwise(
                function, c["x1"], f"{c.function}()", c["x2"]))
        for name, function in _REDUCTIONS.items():
            table[name] = (["x", "axis", "keepdims", "split_every", "ddof"],
                           lambda c, function=function: self.reduction(function, c))
        for name, function in _SCANS.items():
            table[name] = (["x", "axis"], lambda c, function=function: function(
                c.array("x"), axis=c.integer("axis") if c.given("axis") else None))
        for name, function in _ARG_REDUCTIONS.items():
            table[name] = (["x", "axis", "split_every"], lambda c, function=function: function(
                c.array("x"), axis=c.integer("axis") if c.given("axis") else None,
                split_every=c.integer("split_every") if c.given("split_every") else None).astype(np.float64))
        return table

    def full(self, call, value):
        shape = call.integers("shape")
        return da.full(shape, value, chunks=self.creation_chunks(call), dtype=np.float64)

    def load(self, call):
        """load(file, chunks=): `.npy` files only; blocks from chunks=, the override, else the file's."""
        path = call["file"]
        if not isinstance(path, str):
            raise TranslationError(f"load(): 'file' must be a string, not {_describe(path)}")
        if not path.endswith(".npy"):
            raise TranslationError(f"load(): only .npy files are translated, not {path!r}")
        chunks = self.creation_chunks(call) if call.given("chunks") or self.chunks_override is not None else None
        return blocks.load_npy(path, chunks)

    def arange(self, call):
        """arange(stop) or arange(start, stop[, step]), as NumPy."""
        first = call.number("start")
        start, stop = (first, call.number("stop")) if call.given("stop") else (0.0, first)
        return blocks.arange(start, stop, call.number("step", 1.0), self.creation_chunks(call))

    @staticmethod
    def elementwise(function, x, name, *others):
        operands = (x,) + others
        for operand in operands:
            if not isinstance(operand, (float, da.Array)):
                raise TranslationError(f"{name} needs numbers or arrays, not {_describe(operand)}")
        with np.errstate(all="ignore"):
            result = function(*operands)
        return _number(result.astype(np.float64) if function in _TRUTH_VALUED else result)

    @staticmethod
    def reduction(function, call):
        options = {"axis": call.integers("axis"), "keepdims": call.boolean("keepdims", False)}
        if call.given("split_every"):
            options["split_every"] = call.integer("split_every")
        if call.function in _TAKING_DDOF:
            options["ddof"] = call.integer("ddof", 0)
        elif call.given("ddof"):
            raise TranslationError(f"{call.function}(): only var, std, nanvar and nanstd take ddof")
        return function(call.array("x"), **options)

    @staticmethod
    def arrays(call):
        items = call["arrays"]
        if not isinstance(items, tuple):
            raise TranslationError(f"{call.function}(): 'arrays' must be a list of arrays, not {_describe(items)}")
        return [_array(item, f"{call.function}(): 'arrays'") for item in items]

    @staticmethod
    def dtype(call):
        value = call["dtype"]
        if value not in blocks.ELEMENT_TYPES:
            raise TranslationError(f"astype(): dtype {value!r} is not one of {', '.join(blocks.ELEMENT_TYPES)}")
        return value

    @staticmethod
    def boundary(call):
        value = call["boundary"]
        if value is None:
            return "periodic"
        if value in ("periodic", "reflect", "none") or isinstance(value, float):
            return value
        raise TranslationError(f"{call.function}(): boundary {value!r} is not 'periodic', 'reflect', 'none' or a number")
