"""Translated expressions on a real cluster (the `cluster` fixture: workers started without this
package on their path), so the block functions must travel by value: the same values as threads."""

import dask.array as da
import numpy as np
import pytest
from test_translate import CASES

from blocktop_bridge import blocks
from blocktop_bridge.translate import translate


def test_every_case_computes_on_the_cluster_exactly_as_with_threads(cluster):
    assert not any(cluster.client.run(lambda: __import__("importlib").util.find_spec("blocktop_bridge")).values())
    for case in CASES:
        array = translate(case["syntax"])
        remote = cluster.client.compute(array).result()
        assert np.array_equal(remote, array.compute(scheduler="threads")), case["expression"]


def test_check_finite_fails_on_the_cluster_naming_the_element_and_block(cluster):
    values = np.ones((6, 7))
    values[4, 5] = np.inf
    with pytest.raises(ValueError, match=r"non-finite value inf at \[4, 5\] \(block \[1, 1\]\)"):
        cluster.client.compute(blocks.check_finite(da.from_array(values, chunks=3))).result()
