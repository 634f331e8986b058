"""blocktop's random numbers in NumPy: the same values as the blocktop binary, bit for bit, for any chunking."""

import numpy as np
import pytest
from blocktop_binary import saved

from blocktop_bridge import blocks, philox

CHUNKINGS = {
    (37, 53): [10, 1, 37, -1, (5, 53), (37, 1), ((20, 17), (50, 3)), ((1, 36), (7, 7, 7, 7, 7, 7, 7, 4))],
    (1001,): [100, 1, 1001, 333],
    (3, 5, 7): [2, (1, 5, 3), -1],
    # One block of more counters than philox_words takes at once.
    (300, 250): [-1, 64],
}


def blocktop_values(tmp_path, expression, *options):
    path = tmp_path / "values.npy"
    saved(expression, path, *options)
    return np.load(path)


@pytest.mark.parametrize("seed", [0, 12345678901, 2 ** 64 - 1])
@pytest.mark.parametrize("shape", list(CHUNKINGS))
def test_random_is_blocktops_for_every_chunking(tmp_path, shape, seed):
    expected = blocktop_values(tmp_path, f"random({shape}, chunks=10)", "--seed", str(seed))
    for chunks in CHUNKINGS[shape]:
        actual = blocks.random(shape, chunks, seed).compute(scheduler="threads")
        assert actual.shape == expected.shape
        assert np.array_equal(actual, expected), f"chunks {chunks}"


@pytest.mark.parametrize("seed, loc, scale", [(0, 0.0, 1.0), (7, 2.0, 3.0), (2 ** 64 - 1, -1.5, 0.25)])
@pytest.mark.parametrize("shape", list(CHUNKINGS))
def test_normal_is_blocktops_for_every_chunking(tmp_path, shape, seed, loc, scale):
    expected = blocktop_values(tmp_path, f"normal({shape}, chunks=10, loc={loc}, scale={scale})", "--seed", str(seed))
    for chunks in CHUNKINGS[shape]:
        actual = blocks.normal(shape, chunks, seed, loc, scale).compute(scheduler="threads")
        assert np.array_equal(actual, expected), f"chunks {chunks}"


def test_a_block_of_odd_offset_starts_inside_a_counters_pair():
    # Element 2p + 1 is the second value of counter p: a row starting there must not take the first.
    whole = philox.uniform_block(5, (9,), [0], [9])
    assert np.array_equal(philox.uniform_block(5, (9,), [3], [4]), whole[3:7])
    assert not np.array_equal(philox.uniform_block(5, (9,), [3], [4]), whole[2:6])


def test_seeds_give_different_streams_and_the_uniform_range_holds():
    first = philox.uniform_block(1, (1000,), [0], [1000])
    second = philox.uniform_block(2, (1000,), [0], [1000])
    assert not np.array_equal(first, second)
    assert first.min() >= 0 and first.max() < 1
