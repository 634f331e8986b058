"""blocktop's random numbers in NumPy: Philox4x32-10 keyed by seed and global element index.

A port of Sources/BlockArray/Kernels/Philox.swift, vectorised over whole blocks. Element `i` of a
random array depends only on the seed and `i` (its row-major index in the whole array), so every
chunking gives the same values, and the same values as blocktop:

- `uniform`: counter `p` = (p low, p high, 0, 0) yields elements `2p` (from words 0-1) and `2p + 1`
  (words 2-3), each the top 53 bits of its two words over 2^53.
- `normal`: counter `i` = (i low, i high, 1, 0) yields element `i` by Box-Muller (cosine branch):
  `sqrt(-2 log(1 - u1)) * cos(2 pi u2)` on the uniforms of words 0-1 and 2-3.
"""

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

Words = npt.NDArray[np.uint64]

MASK32 = 0xFFFFFFFF
_MULTIPLIER_0 = np.uint64(0xD2511F53)
_MULTIPLIER_1 = np.uint64(0xCD9E8D57)
_WEYL_0 = 0x9E3779B9
_WEYL_1 = 0xBB67AE85
_UNIFORM_STREAM = 0
_NORMAL_STREAM = 1
_MASK = np.uint64(MASK32)
_THIRTY_TWO = np.uint64(32)
# Counters per piece of `philox_words`: its six arrays of them fit in a core's L2 cache.
_PIECE = 1 << 15


def philox_words(counters: Words, stream: int, seed: int) -> tuple[Words, Words, Words, Words]:
    """The four output words of Philox4x32-10 for counters `counters` (uint64) in word 2 `stream`.

    Words are uint64 arrays holding 32-bit values; the key is the seed's low and high halves.
    Counters go through the rounds in pieces of `_PIECE`, in place, so the work stays in cache.
    """
    flat = counters.ravel()
    words = [np.empty(flat.size, dtype=np.uint64) for _ in range(4)]
    for start in range(0, flat.size, _PIECE):
        piece = flat[start:start + _PIECE]
        c0, c1, c2, c3 = (piece & _MASK, piece >> _THIRTY_TWO, np.full_like(piece, stream), np.zeros_like(piece))
        p0, p1 = np.empty_like(piece), np.empty_like(piece)
        k0, k1 = seed & MASK32, (seed >> 32) & MASK32
        for round_ in range(10):
            if round_ > 0:
                k0, k1 = (k0 + _WEYL_0) & MASK32, (k1 + _WEYL_1) & MASK32
            np.multiply(c0, _MULTIPLIER_0, out=p0)
            np.multiply(c2, _MULTIPLIER_1, out=p1)
            # (c0, c1, c2, c3) = (hi(p1) ^ c1 ^ k0, lo(p1), hi(p0) ^ c3 ^ k1, lo(p0))
            np.right_shift(p1, _THIRTY_TWO, out=c0)
            np.bitwise_xor(c0, c1, out=c0)
            np.bitwise_xor(c0, np.uint64(k0), out=c0)
            np.right_shift(p0, _THIRTY_TWO, out=c2)
            np.bitwise_xor(c2, c3, out=c2)
            np.bitwise_xor(c2, np.uint64(k1), out=c2)
            np.bitwise_and(p1, _MASK, out=c1)
            np.bitwise_and(p0, _MASK, out=c3)
        for word, value in zip(words, (c0, c1, c2, c3), strict=True):
            word[start:start + piece.size] = value
    w0, w1, w2, w3 = (word.reshape(counters.shape) for word in words)
    return w0, w1, w2, w3


def libm_log(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The C library's log (blocktop's) of each value: NumPy's own vector log differs in the last bit.

    Made per call: a ufunc from `frompyfunc` cannot be pickled to ship to workers.
    """
    return np.asarray(np.frompyfunc(math.log, 1, 1)(values)).astype(np.float64)


def unit_double(high: Words, low: Words) -> npt.NDArray[np.float64]:
    """Doubles in [0, 1) from the top 53 bits of the 64-bit values `high:low`."""
    return ((high << np.uint64(21)) | (low >> np.uint64(11))).astype(np.float64) * 2.0 ** -53


def global_rows(shape: Sequence[int], offset: Sequence[int], block_shape: Sequence[int]) -> npt.NDArray[np.int64]:
    """The global row-major index of the first element of each row (last axis) of a block."""
    strides = [math.prod(shape[axis + 1:]) for axis in range(len(shape))]
    starts = np.array([offset[-1] * strides[-1]], dtype=np.int64) if shape else np.zeros(1, dtype=np.int64)
    for axis in range(len(shape) - 2, -1, -1):
        along = (offset[axis] + np.arange(block_shape[axis], dtype=np.int64)) * strides[axis]
        starts = (along[:, None] + starts[None, :]).ravel()
    return starts


def uniform_block(seed: int, shape: Sequence[int], offset: Sequence[int], block_shape: Sequence[int]) -> Any:
    """The uniform [0, 1) block at `offset` of a `shape` array of `seed`, as blocktop's `random`."""
    if math.prod(block_shape) == 0:
        return np.zeros(block_shape)
    row_length = block_shape[-1] if block_shape else 1
    starts = global_rows(shape, offset, block_shape)
    # Each row reads the pairs from its first element's to its last's, both values of each.
    pair_count = (row_length + 1) // 2 + 1
    pairs = (starts // 2)[:, None] + np.arange(pair_count, dtype=np.int64)[None, :]
    w0, w1, w2, w3 = philox_words(pairs.astype(np.uint64), _UNIFORM_STREAM, seed)
    both = np.stack([unit_double(w0, w1), unit_double(w2, w3)], axis=-1).reshape(len(starts), 2 * pair_count)
    columns = (starts % 2)[:, None] + np.arange(row_length)[None, :]
    return np.take_along_axis(both, columns, axis=1).reshape(block_shape)


def normal_block(seed: int, shape: Sequence[int], offset: Sequence[int], block_shape: Sequence[int],
                 loc: float = 0.0, scale: float = 1.0) -> Any:
    """The normal block at `offset` of a `shape` array of `seed`, as blocktop's `normal`."""
    if math.prod(block_shape) == 0:
        return np.zeros(block_shape)
    row_length = block_shape[-1] if block_shape else 1
    starts = global_rows(shape, offset, block_shape)
    elements = starts[:, None] + np.arange(row_length, dtype=np.int64)[None, :]
    w0, w1, w2, w3 = philox_words(elements.astype(np.uint64), _NORMAL_STREAM, seed)
    u1 = 1.0 - unit_double(w0, w1)
    u2 = unit_double(w2, w3)
    radius = np.sqrt(-2.0 * libm_log(u1))
    values = (radius * np.cos(2.0 * math.pi * u2)).reshape(block_shape)
    if loc != 0 or scale != 1:
        values = loc + scale * values
    return values
