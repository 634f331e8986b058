"""Installed by `blocktop_bridge watch` on the watched program's PYTHONPATH: reports its dask graphs."""

try:
    from blocktop_bridge.callbacks import install
except ImportError:  # no dask in this Python: nothing to report
    pass
else:
    install()
