"""blocktop's bridge to Dask: JSON lines about a cluster or a watched program (see PROTOCOL.md)."""

BRIDGE_VERSION = "1.0"
PROTOCOL_VERSION = 1
