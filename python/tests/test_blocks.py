"""The bridge's block functions against the blocktop binary: stencils, index-made arrays, checks."""

import dask.array as da
import numpy as np
import pytest
from blocktop_binary import run

from blocktop_bridge import blocks

BOUNDARIES = ["periodic", "reflect", "none", 2.5]
# Shapes with the chunkings that stress the overlap: ragged, blocks of 1, axes of 2 (all faces).
GRIDS = [((13, 11), (4, 5)), ((10,), 3), ((5, 6, 7), (2, 3, 4)), ((12, 9), (5, 1)), ((2, 7), (1, 3))]


def blocktop_result(expression):
    return np.array(run(expression)["result"], dtype=np.float64)


@pytest.mark.parametrize("boundary", BOUNDARIES)
@pytest.mark.parametrize("shape, chunks", GRIDS)
def test_laplacian_and_diffuse_are_blocktops_exactly(shape, chunks, boundary):
    x = blocks.random(shape, chunks, 5)
    given = f"random({shape}, chunks={chunks}, seed=5), boundary={boundary!r}"
    laplacian = blocks.laplacian(x, boundary).compute(scheduler="threads")
    assert np.array_equal(laplacian, blocktop_result(f"laplacian({given})"))
    diffused = blocks.diffuse(x, 3, 0.2, boundary).compute(scheduler="threads")
    assert np.array_equal(diffused, blocktop_result(f"diffuse({given}, steps=3, rate=0.2)"))


def test_the_stencil_of_a_0d_array_is_the_array():
    x = da.from_array(np.array(4.0))
    assert blocks.laplacian(x, "periodic").compute() == 4.0
    assert blocks.diffuse(x, 2, 0.5, "none").compute() == 4.0


@pytest.mark.parametrize("expression, made", [
    ("arange(3, 20, 1.5, chunks=4)", lambda: blocks.arange(3.0, 20.0, 1.5, 4)),
    ("arange(10, -3, -0.7, chunks=6)", lambda: blocks.arange(10.0, -3.0, -0.7, 6)),
    ("linspace(0, 1, 12, chunks=5)", lambda: blocks.linspace(0.0, 1.0, 12, True, 5)),
    ("linspace(2, 3, 7, endpoint=False, chunks=3)", lambda: blocks.linspace(2.0, 3.0, 7, False, 3)),
    ("eye(7, 9, k=2, chunks=(3, 4))", lambda: blocks.eye(7, 9, 2, (3, 4))),
    ("eye(6, k=-1, chunks=4)", lambda: blocks.eye(6, 6, -1, 4)),
])
def test_index_made_arrays_are_blocktops_exactly(expression, made):
    assert np.array_equal(made().compute(scheduler="threads"), blocktop_result(expression))


def test_check_finite_fails_naming_the_element_and_its_block():
    values = np.ones((6, 7))
    values[4, 5] = np.nan
    checked = blocks.check_finite(da.from_array(values, chunks=3))
    with pytest.raises(blocks.NonFiniteValueError, match=r"non-finite value nan at \[4, 5\] \(block \[1, 1\]\)"):
        checked.compute(scheduler="threads")
    values[4, 5] = -np.inf
    with pytest.raises(blocks.NonFiniteValueError, match=r"non-finite value -inf at \[4, 5\]"):
        blocks.check_finite(da.from_array(values, chunks=3)).compute(scheduler="threads")
    assert np.array_equal(blocks.check_finite(da.ones((4, 4), chunks=3)).compute(), np.ones((4, 4)))


def test_astype_fails_naming_the_element_a_type_cannot_hold_and_its_block():
    values = np.full((5, 4), 3.7)
    values[3, 2] = np.nan
    with pytest.raises(blocks.ElementConversionError,
                       match=r"astype\(int16\): block \[1, 1\]: element \[3, 2\] is NaN, which int16 cannot hold"):
        blocks.astype(da.from_array(values, chunks=2), "int16").compute(scheduler="threads")
    values[3, 2] = 300.0
    with pytest.raises(blocks.ElementConversionError, match=r"element \[3, 2\] is 300.0, which uint8 cannot hold"):
        blocks.astype(da.from_array(values, chunks=2), "uint8").compute(scheduler="threads")
    # Truncation toward zero leaves -0.5 at 0, which uint8 holds.
    assert blocks.astype(da.from_array(np.array([-0.5, 2.9]), chunks=1), "uint8").compute().tolist() == [0.0, 2.0]


def test_contiguous_slabs_are_whole_trailing_axes_in_c_order_and_leading_in_fortran_order():
    assert blocks.contiguous_slabs((3000, 2000), fortran_order=False) == (524, 2000)
    assert blocks.contiguous_slabs((3000, 2000), fortran_order=True) == (3000, 349)
    assert blocks.contiguous_slabs((0, 5), fortran_order=False) == (1, 5)
