"""Block functions for what dask.array lacks, each giving blocktop's exact semantics.

- arrays whose elements are a function of their global index (`random`, `normal`, `arange`,
  `linspace`, `eye`), made block by block from `block_info`, so they do not depend on the chunking;
- the 2·rank-neighbour Laplacian stencil and explicit diffusion, through `map_overlap`;
- `check_finite`, failing the task of a block that holds a NaN or an infinity, and `astype`,
  failing the task of a block holding a value the type cannot;
- `load` of a `.npy` file, each block read by its own task as float64.

These functions run on the workers, which need not have this package: each goes into the graph
wrapped in `ShippedByValue`, which pickles it by value.
"""

from __future__ import annotations

import functools
import importlib
import math
import os
from collections.abc import Callable, Sequence
from typing import Any

import cloudpickle
import dask.array as da
import numpy as np
import numpy.typing as npt
from dask.array.core import normalize_chunks
from dask.base import tokenize

from blocktop_bridge.philox import normal_block, uniform_block


class NonFiniteValueError(ValueError):
    """A NaN or an infinity in an array that `check_finite` forbids one in."""


class ElementConversionError(ValueError):
    """A value `astype` cannot convert: NaN, an infinity, or out of an integer type's range."""


class ShippedByValue:
    """A block function that pickles by value (with cloudpickle), so that workers without this
    package can run it: dask pickles a graph's functions by reference, naming their module."""

    def __init__(self, function: Callable[..., Any]) -> None:
        self.function = function
        # dask reads the signature (does it take block_info?) through this.
        self.__wrapped__ = function

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.function(*args, **kwargs)

    def __reduce__(self) -> tuple[Callable[[bytes], Any], tuple[bytes]]:
        cloudpickle.register_pickle_by_value(importlib.import_module(__package__))
        return cloudpickle.loads, (cloudpickle.dumps(self.function),)


def _location(block_info: Any) -> tuple[list[int], list[int]]:
    """The global offset and shape of the block a `map_blocks` call is making."""
    location = block_info[None]["array-location"]
    return [start for start, _ in location], [stop - start for start, stop in location]


def _uniform(seed: int, shape: tuple[int, ...], block_info: Any = None) -> Any:
    offset, block_shape = _location(block_info)
    return uniform_block(seed, shape, offset, block_shape)


def _normal(seed: int, shape: tuple[int, ...], loc: float, scale: float, block_info: Any = None) -> Any:
    offset, block_shape = _location(block_info)
    return normal_block(seed, shape, offset, block_shape, loc, scale)


def _arange(start: float, step: float, block_info: Any = None) -> Any:
    (offset,), (length,) = _location(block_info)
    return start + np.arange(offset, offset + length, dtype=np.float64) * step


def _linspace(start: float, stop: float, count: int, endpoint: bool, block_info: Any = None) -> Any:
    (offset,), (length,) = _location(block_info)
    divisions = count - 1 if endpoint else count
    step = (stop - start) / divisions if divisions > 0 else 0.0
    positions = np.arange(offset, offset + length, dtype=np.float64)
    values = start + positions * step
    if endpoint and count > 1 and offset + length == count:
        values[-1] = stop
    return values


def _eye(k: int, block_info: Any = None) -> Any:
    (row, column), (rows, columns) = _location(block_info)
    row_index = np.arange(row, row + rows)[:, None]
    column_index = np.arange(column, column + columns)[None, :]
    return (column_index == row_index + k).astype(np.float64)


def _from_index(operation: str, shape: Sequence[int], chunks: Any, function: Callable[..., Any], *arguments: object,
                identity: tuple[object, ...] = ()) -> da.Array:
    """A float64 array of `shape` in `chunks` whose blocks `function(*arguments, block_info=)` makes;
    `identity` adds to its key what else tells it apart (a file's size and modification time)."""
    shape = tuple(shape)
    chunks = normalize_chunks(chunks, shape, dtype=np.float64)
    name = f"{operation}-{tokenize(operation, shape, chunks, *arguments, *identity)}"
    array: da.Array = da.map_blocks(ShippedByValue(functools.partial(function, *arguments)), chunks=chunks, dtype=np.float64,
                                    meta=np.empty((0,) * len(shape)), name=name)
    return array


def random(shape: Sequence[int], chunks: Any, seed: int) -> da.Array:
    """Uniform [0, 1) values: blocktop's `random(shape, chunks=, seed=)`, for every chunking."""
    return _from_index("random", shape, chunks, _uniform, seed, tuple(shape))


def normal(shape: Sequence[int], chunks: Any, seed: int, loc: float, scale: float) -> da.Array:
    """Normal values: blocktop's `normal(shape, chunks=, seed=, loc=, scale=)`, for every chunking."""
    return _from_index("normal", shape, chunks, _normal, seed, tuple(shape), loc, scale)


def arange(start: float, stop: float, step: float, chunks: Any) -> da.Array:
    """`start + i * step` below `stop` (above, for a negative step), as blocktop's `arange`."""
    count = max(0, math.ceil((stop - start) / step))
    return _from_index("arange", (count,), chunks, _arange, start, step)


def linspace(start: float, stop: float, count: int, endpoint: bool, chunks: Any) -> da.Array:
    """`count` evenly spaced values, the last exactly `stop` with `endpoint`, as blocktop's `linspace`."""
    return _from_index("linspace", (count,), chunks, _linspace, start, stop, count, endpoint)


def eye(rows: int, columns: int, k: int, chunks: Any) -> da.Array:
    """Ones on diagonal `k` of a `rows × columns` matrix, as blocktop's `eye`."""
    return _from_index("eye", (rows, columns), chunks, _eye, k)


def contiguous_slabs(shape: Sequence[int], fortran_order: bool, target_elements: int = 1 << 20) -> tuple[int, ...]:
    """The blocks blocktop gives a `.npy` file without `chunks=`: slabs contiguous in the file of at
    most `target_elements` (whole trailing axes in C order, whole leading axes in Fortran order)."""
    block = [1] * len(shape)
    elements = 1
    for axis in (range(len(shape)) if fortran_order else reversed(range(len(shape)))):
        extent = max(shape[axis], 1)
        if elements * extent > target_elements:
            block[axis] = max(1, target_elements // elements)
            break
        block[axis] = extent
        elements *= extent
    return tuple(block)


def _read_npy(path: str, block_info: Any = None) -> Any:
    location = block_info[None]["array-location"]
    stored = np.load(path, mmap_mode="r")
    return np.array(stored[tuple(slice(start, stop) for start, stop in location)], dtype=np.float64)


def load_npy(path: str, chunks: Any) -> da.Array:
    """A `.npy` file's array as float64, read block by block where the task runs; `chunks` None
    takes blocktop's contiguous slabs. The path must name the same file on every worker."""
    stored = np.load(path, mmap_mode="r")
    if stored.dtype.kind not in "biuf":
        raise ValueError(f"{path!r}: blocktop does not read {stored.dtype} data")
    fortran_order = stored.flags.f_contiguous and not stored.flags.c_contiguous
    if chunks is None:
        chunks = contiguous_slabs(stored.shape, fortran_order)
    status = os.stat(path)
    return _from_index("load", stored.shape, chunks, _read_npy, str(path), identity=(status.st_size, status.st_mtime_ns))


def stencil(block: npt.NDArray[np.float64], rate: float | None = None) -> npt.NDArray[np.float64]:
    """The Laplacian (or with `rate`, one diffusion step) of every element one away from the faces.

    Faces are left as they are (`map_overlap` trims them, except at the array's faces with
    boundary 'none'); a block under 3 elements on an axis is returned as it is.
    """
    result = block.copy()
    rank = block.ndim
    if rank == 0 or min(block.shape) < 3:
        return result
    interior = (slice(1, -1),) * rank
    centre = block[interior]

    def neighbour(axis: int, shift: int) -> npt.NDArray[np.float64]:
        return block[tuple(slice(1 + shift, block.shape[a] - 1 + shift) if a == axis else slice(1, -1)
                           for a in range(rank))]

    if rank == 2:
        total = neighbour(0, -1) + neighbour(0, 1) + neighbour(1, -1) + neighbour(1, 1) - 4 * centre
        keep, weight = (0.0, 1.0) if rate is None else (1.0, rate)
        result[interior] = keep * centre + weight * total
    else:
        total = -2.0 * rank * centre
        for axis in range(rank):
            total = total + (neighbour(axis, -1) + neighbour(axis, 1))
        result[interior] = total if rate is None else centre + rate * total
    return result


def _boundary(boundary: str | float) -> str | float:
    """blocktop's boundary ('periodic', 'reflect', 'none' or a number) as map_overlap takes it."""
    return boundary if isinstance(boundary, str) else float(boundary)


def _stencil_step(x: da.Array, rate: float | None, boundary: str | float, operation: str) -> da.Array:
    if x.ndim == 0:
        return x
    step: da.Array = x.map_overlap(ShippedByValue(stencil), depth=1, boundary=_boundary(boundary), rate=rate, dtype=np.float64,
                                   meta=np.empty((0,) * x.ndim), name=f"{operation}-{tokenize(operation, x, rate, boundary)}")
    return step


def laplacian(x: da.Array, boundary: str | float) -> da.Array:
    """blocktop's `laplacian(x, boundary=)`: neighbours made by `boundary` past the edges."""
    return _stencil_step(x, None, boundary, "laplacian")


def diffuse(x: da.Array, steps: int, rate: float, boundary: str | float) -> da.Array:
    """blocktop's `diffuse`: `steps` explicit steps `x + rate · laplacian(x)`, one overlap each."""
    for _ in range(steps):
        x = _stencil_step(x, rate, boundary, "diffuse")
    return x


def _first_flagged(flagged: npt.NDArray[np.bool_], block_info: Any) -> tuple[tuple[Any, ...], list[int], list[int]]:
    """The first flagged element of a block (row-major): its place in the block, its global
    coordinates, and the block's index in the grid."""
    local = np.unravel_index(int(np.argmax(flagged)), flagged.shape)
    offset = [start for start, _ in block_info[0]["array-location"]]
    where = [int(start + position) for start, position in zip(offset, local, strict=True)]
    return local, where, list(block_info[0]["chunk-location"])


def _check_finite_block(block: npt.NDArray[np.float64], block_info: Any = None) -> npt.NDArray[np.float64]:
    bad = ~np.isfinite(block)
    if not bad.any():
        return block
    local, where, block_index = _first_flagged(bad, block_info)
    shown = "nan" if np.isnan(block[local]) else repr(float(block[local]))
    raise NonFiniteValueError(f"non-finite value {shown} at {where} (block {block_index})")


def check_finite(x: da.Array) -> da.Array:
    """The same array, but a block holding a NaN or an infinity fails its task, naming the element."""
    checked: da.Array = da.map_blocks(ShippedByValue(_check_finite_block), x, dtype=np.float64, meta=np.empty((0,) * x.ndim),
                                      name=f"check_finite-{tokenize('check_finite', x)}")
    return checked


# The types `astype` converts to, as blocktop's ElementType: floats by their NumPy type; integers by
# the range they hold (truncating toward zero); bool as 1 for any non-zero value (NaN too).
ELEMENT_TYPES: dict[str, type[np.floating[Any]] | tuple[float, float] | None] = {
    "float64": np.float64, "float32": np.float32, "float16": np.float16,
    "int8": (-2.0 ** 7, 2.0 ** 7), "int16": (-2.0 ** 15, 2.0 ** 15), "int32": (-2.0 ** 31, 2.0 ** 31),
    "int64": (-2.0 ** 63, 2.0 ** 63), "uint8": (0.0, 2.0 ** 8), "uint16": (0.0, 2.0 ** 16),
    "uint32": (0.0, 2.0 ** 32), "uint64": (0.0, 2.0 ** 64), "bool": None,
}


def _astype_block(type_name: str, block: npt.NDArray[np.float64], block_info: Any = None) -> Any:
    kind = ELEMENT_TYPES[type_name]
    if kind is None:
        return (block != 0).astype(np.float64)
    if not isinstance(kind, tuple):
        with np.errstate(over="ignore"):
            return block.astype(kind).astype(np.float64)
    low, high = kind
    with np.errstate(invalid="ignore"):
        whole = np.trunc(block)
        bad = ~((whole >= low) & (whole < high))
    if bad.any():
        local, where, block_index = _first_flagged(bad, block_info)
        shown = "NaN" if np.isnan(block[local]) else repr(float(block[local]))
        raise ElementConversionError(
            f"astype({type_name}): block {block_index}: element {where} is {shown}, which {type_name} cannot hold")
    # + 0 turns the -0 of a small negative value into the 0 an integer holds.
    return whole + 0.0


def astype(x: da.Array, type_name: str) -> da.Array:
    """The values as `type_name` would hold them, kept as float64, as blocktop's `astype`."""
    if type_name == "float64":
        return x
    converted: da.Array = da.map_blocks(ShippedByValue(functools.partial(_astype_block, type_name)), x, dtype=np.float64,
                                        meta=np.empty((0,) * x.ndim), name=f"astype-{tokenize('astype', type_name, x)}")
    return converted
