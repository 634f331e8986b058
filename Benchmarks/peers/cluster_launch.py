"""blocktop's `run --cluster local:2` against a plain dask client doing the same on the same cluster.

Issue 15's goal: launching the demo at n=6000 through blocktop on local:2 takes at most 1.03×
the same dask code submitted by a plain client. "The same dask code" is the graph the bridge
translates from blocktop's expression (blocktop's Philox random blocks), submitted by a client
that starts its own LocalCluster of 2 single-thread worker processes, exactly as the bridge's
`--local 2` does. A second peer uses dask's own `da.random.random` (another generator).

Each run is a process of its own, timed from its start to its exit (Python start, cluster
start, compute, cluster stop); runs alternate for --repeat rounds; the table gives medians and
the ratio blocktop / peer, and checks each answer against the demo's expected value.

    python3 cluster_launch.py --blocktop PATH [--n 6000] [--repeat 3] [--markdown FILE]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CHUNKS = 1000


def expression(n):
    return f"x = random(({n}, {n}), chunks={CHUNKS}); (x @ x.T).sum()"


def syntax(n):
    """blocktop's syntax JSON of `expression(n)` (what blocktop hands the bridge)."""
    def number(value):
        return {"node": "number", "value": value}

    def name(identifier):
        return {"node": "name", "id": identifier}

    created = {"node": "call", "function": name("random"), "args": [{"node": "sequence", "items": [number(n), number(n)]}],
               "keywords": {"chunks": number(CHUNKS)}}
    product = {"node": "binary", "op": "@", "left": name("x"), "right": {"node": "attribute", "value": name("x"), "attr": "T"}}
    total = {"node": "call", "function": {"node": "attribute", "value": product, "attr": "sum"}, "args": [], "keywords": {}}
    return {"version": 1, "defaults": {"seed": 0, "chunks": CHUNKS, "chunks_override": None},
            "statements": [{"target": "x", "value": created}, {"target": None, "value": total}]}


def child(kind, n):
    """One plain-client run: start a local cluster, compute, stop; prints a JSON line."""
    sys.path.insert(0, os.path.join(ROOT, "python"))
    import dask
    import dask.array as da
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      scheduler_port=0, dashboard_address="127.0.0.1:0") as cluster, Client(cluster) as client:
        if kind == "translated":
            from blocktop_bridge.translate import translate
            x = translate(syntax(n))
        else:
            y = da.random.random((n, n), chunks=CHUNKS)
            x = (y @ y.T).sum()
        (x,) = dask.optimize(x)
        start = time.perf_counter()
        value = float(client.compute(x).result())
        compute = time.perf_counter() - start
    print(json.dumps({"value": value, "compute_seconds": compute}))


def timed(command):
    """(seconds from start to exit, stdout) of a command that must succeed."""
    start = time.perf_counter()
    process = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"{command[0]} failed ({process.returncode}): {process.stderr[-2000:]}")
    return seconds, process.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--blocktop", default=os.path.join(ROOT, ".build", "release", "blocktop"))
    parser.add_argument("--n", type=int, default=6000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--markdown", metavar="FILE")
    parser.add_argument("--child", choices=["translated", "dask-random"])
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.n)
    expected = args.n ** 3 / 4 + args.n ** 2 / 12
    runs = {"blocktop": [], "translated": [], "dask-random": []}
    for round_ in range(args.repeat):
        order = ["blocktop", "translated", "dask-random"]
        for kind in order if round_ % 2 == 0 else reversed(order):
            if kind == "blocktop":
                seconds, out = timed([args.blocktop, "run", "--headless", "--json", "--python", sys.executable,
                                      "--cluster", "local:2", expression(args.n)])
                report = json.loads(out)
                value, compute = report["result"], report["wall_seconds"]
            else:
                seconds, out = timed([sys.executable, __file__, "--child", kind, "--n", str(args.n)])
                line = json.loads(out.strip().splitlines()[-1])
                value, compute = line["value"], line["compute_seconds"]
            if abs(value - expected) > 1e-3 * expected:
                raise SystemExit(f"{kind}: {value} is not near {expected}")
            runs[kind].append((seconds, compute))
            print(f"round {round_ + 1} {kind}: {seconds:.2f} s in all, {compute:.2f} s computing", file=sys.stderr)
    median = {kind: (statistics.median(r[0] for r in rows), statistics.median(r[1] for r in rows)) for kind, rows in runs.items()}
    lines = [f"Demo n={args.n}, chunks {CHUNKS}, on a local cluster of 2 single-thread worker processes; medians of {args.repeat} runs.",
             "", "| run | start to exit (s) | computing (s) | blocktop ÷ it, start to exit | blocktop ÷ it, computing |",
             "|---|---|---|---|---|"]
    for kind in runs:
        whole, compute = median[kind]
        ratio = f"{median['blocktop'][0] / whole:.3f}" if kind != "blocktop" else "—"
        ratio_compute = f"{median['blocktop'][1] / compute:.3f}" if kind != "blocktop" else "—"
        lines.append(f"| {kind} | {whole:.2f} | {compute:.2f} | {ratio} | {ratio_compute} |")
    text = "\n".join(lines)
    print(text)
    if args.markdown:
        with open(args.markdown, "w") as handle:
            handle.write(text + "\n")


if __name__ == "__main__":
    main()
