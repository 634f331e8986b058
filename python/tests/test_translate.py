"""The whitelist translation of blocktop's syntax tree to dask.array: blocktop's answers, and refusals."""

import json
from pathlib import Path

import numpy as np
import pytest
from blocktop_binary import run

from blocktop_bridge import blocks
from blocktop_bridge.translate import TranslationError, translate

# Each line: an expression, the --seed and --chunks it runs with, and its syntax JSON as blocktop
# encodes it (Tests/ExpressionsTests/SyntaxJSONTests.swift checks the encoding still matches).
CASES = [json.loads(line) for line in (Path(__file__).with_name("syntax_cases.jsonl")).read_text().splitlines()]


def options(case):
    given = ["--seed", str(case["seed"])]
    return given + (["--chunks", str(case["chunks_override"])] if case["chunks_override"] is not None else [])


# Syntax trees written by hand, for what blocktop never sends but a hostile or mistaken sender might.

def number(value):
    return {"node": "number", "value": value}


def name(identifier):
    return {"node": "name", "id": identifier}


def sequence(*values):
    return {"node": "sequence", "items": [number(v) for v in values]}


def call(function, *args, **keywords):
    callee = name(function) if isinstance(function, str) else function
    return {"node": "call", "function": callee, "args": list(args), "keywords": keywords}


def document_of(*values, seed=0, chunks_override=None):
    return {"version": 1, "defaults": {"seed": seed, "chunks": 4, "chunks_override": chunks_override},
            "statements": [{"target": None, "value": value} for value in values]}


ONES = call("ones", sequence(4, 4))


@pytest.mark.parametrize("case", CASES, ids=[case["expression"][:60] for case in CASES])
def test_dask_gives_blocktops_result(case):
    expected = np.array(run(case["expression"], *options(case))["result"], dtype=np.float64)
    actual = translate(case["syntax"]).compute(scheduler="threads")
    assert actual.dtype == np.float64
    assert actual.shape == expected.shape
    np.testing.assert_allclose(actual, expected, rtol=1e-9, atol=1e-9 * max(1.0, float(np.abs(expected).max())))


def test_creation_calls_take_the_override_else_their_chunks_else_the_default_and_the_default_seed():
    random = call("random", sequence(9, 8), chunks=number(2))
    overridden = translate(document_of(random, seed=21, chunks_override=3))
    assert overridden.chunks == ((3, 3, 3), (3, 3, 2))
    assert np.array_equal(overridden.compute(scheduler="threads"), blocks.random((9, 8), 5, 21).compute())
    assert translate(document_of(random)).chunks == ((2, 2, 2, 2, 1), (2, 2, 2, 2))
    assert translate(document_of(call("ones", sequence(9)))).chunks == ((4, 4, 1),)
    # rechunk keeps its own chunks under an override.
    rechunked = call("rechunk", call("ones", sequence(9)), number(5))
    assert translate(document_of(rechunked, chunks_override=2)).chunks == ((5, 4),)


@pytest.mark.parametrize("tree, refused", [
    (call("__import__", {"node": "string", "value": "os"}), "function '__import__'"),
    (call("eval", {"node": "string", "value": "1"}), "function 'eval'"),
    (call({"node": "attribute", "value": ONES, "attr": "compute"}), "function 'compute'"),
    (call({"node": "attribute", "value": ONES, "attr": "__class__"}), "function '__class__'"),
    ({"node": "attribute", "value": ONES, "attr": "__class__"}, "attribute '__class__'"),
    ({"node": "attribute", "value": ONES, "attr": "dask"}, "attribute 'dask'"),
    ({"node": "binary", "op": "//", "left": ONES, "right": number(2)}, "operator '//'"),
    ({"node": "unary", "op": "not", "operand": ONES}, "operator 'not'"),
    ({"node": "lambda", "body": ONES}, "syntax node 'lambda'"),
    ({"node": "number", "value": "1e3"}, "a number node holds '1e3'"),
    (name("os"), "name 'os'"),
    (name("__builtins__"), "name '__builtins__'"),
    (call("random", sequence(4), dtype=number(1)), "no argument 'dtype'"),
    (call("laplacian", ONES, boundary={"node": "string", "value": "__import__('os')"}), "boundary"),
    (call(call("sum", ONES)), "only functions and methods"),
    ({"node": "subscript", "value": sequence(1, 2), "items": [{"index": number(0)}]}, "cannot index a sequence"),
    ({"node": "subscript", "value": ONES, "items": [{"ellipsis": True}]}, "subscript item"),
    (call("astype", ONES, {"node": "string", "value": "complex128"}), "dtype 'complex128'"),
    (call("load", {"node": "string", "value": "data.h5"}, dataset={"node": "string", "value": "/x"}), "only .npy"),
])
def test_anything_off_the_whitelist_is_refused_by_name(tree, refused):
    with pytest.raises(TranslationError, match=refused.replace("(", r"\(").replace(")", r"\)")):
        translate(document_of(tree))


def test_an_unknown_version_or_a_trailing_assignment_is_refused():
    with pytest.raises(TranslationError, match="version 2"):
        translate({**document_of(ONES), "version": 2})
    assignment = document_of(ONES)
    assignment["statements"][0]["target"] = "x"
    with pytest.raises(TranslationError, match="last statement"):
        translate(assignment)


def test_a_seed_past_64_bits_is_refused():
    with pytest.raises(TranslationError, match="64-bit"):
        translate(document_of(ONES, seed=2 ** 64))


@pytest.mark.parametrize("order, dtype", [("C", np.float64), ("F", np.int16), ("C", ">f4")])
def test_load_reads_a_npy_file_as_blocktop_does(tmp_path, order, dtype):
    path = tmp_path / "data.npy"
    np.save(path, np.asarray(np.arange(-40, 50).reshape(9, 10) * 1.5, dtype=dtype, order=order))
    expression = f"x = load('{path}'); (x - x.mean(axis=0)).sum(axis=1)"
    loaded = call("load", {"node": "string", "value": str(path)})
    tree = {"node": "call", "function": {"node": "name", "id": "sum"},
            "args": [{"node": "binary", "op": "-", "left": loaded,
                      "right": call({"node": "attribute", "value": loaded, "attr": "mean"}, axis=number(0))}],
            "keywords": {"axis": number(1)}}
    expected = np.array(run(expression)["result"])
    np.testing.assert_allclose(translate(document_of(tree)).compute(scheduler="threads"), expected, rtol=1e-12)
    assert translate(document_of(loaded)).chunks == ((9,), (10,))
    assert translate(document_of(call("load", {"node": "string", "value": str(path)}, chunks=number(4)))).chunks \
        == ((4, 4, 1), (4, 4, 2))


def test_load_refuses_files_other_than_npy():
    with pytest.raises(TranslationError, match="only .npy"):
        translate(document_of(call("load", {"node": "string", "value": "data.zarr"})))


def test_unary_plus_keeps_the_value_and_numbers_fold_to_numbers():
    assert np.array_equal(translate(document_of({"node": "unary", "op": "+", "operand": ONES})).compute(), np.ones((4, 4)))
    folded = {"node": "binary", "op": "/", "left": number(1), "right": number(0)}
    assert translate(document_of(folded)).compute() == np.inf
