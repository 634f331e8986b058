"""Side-by-side runs of blocktop, dask and NumPy on the same workloads.

Each run happens in its own process so its peak RSS is its own. Runs alternate
(blocktop, dask, numpy, blocktop, ...) for several repetitions; the table gives
medians and the ratio blocktop / peer, and checks every answer against its
expected value (the random streams differ between libraries, so answers are
compared with the expectation and a tolerance, not with each other).

    python3 peers.py [--repeat N] [--only NAME,...] [--blocktop PATH] [--markdown FILE]
    python3 peers.py --child dask demo        (one run; prints a JSON line)
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def expected_demo(n):
    return n ** 3 / 4 + n ** 2 / 12


# name -> (blocktop expression, description, expected value, relative tolerance, peers, tasks-per-second workload?)
WORKLOADS = {
    "demo": dict(
        blocktop="x = random((10000, 10000), chunks=1000); (x @ x.T).sum()",
        expected=expected_demo(10000), tolerance=1e-3, peers=["dask", "numpy"]),
    # Chunks of one element: the time is scheduling. dask gets fewer chunks (it runs
    # ~5,000 tasks a second), so the figure compared is time per chunk.
    "scheduler": dict(
        blocktop="(ones(1000000, chunks=1) + 1).sum()", expected=2e6, tolerance=0,
        chunks=1_000_000, dask_n=20000, peers=["dask"]),
    "reduction": dict(
        blocktop="random((40000, 40000), chunks=2000).sum()",
        expected=40000 ** 2 / 2, tolerance=1e-4, peers=["dask"]),
    "fused": dict(
        blocktop="x = random((8000, 8000), chunks=1000); (sin(x) ** 2 + cos(x) ** 2 - 1).mean()",
        expected=0.0, tolerance=1e-12, peers=["dask", "numpy"]),
    "stencil": dict(
        blocktop="x = random((8000, 8000), chunks=1000); diffuse(x, steps=10, rate=0.1).mean()",
        expected=0.5, tolerance=1e-3, peers=["dask"]),
}
for size in (250, 500, 1000, 2000):
    WORKLOADS[f"demo4000-b{size}"] = dict(
        blocktop=f"x = random((4000, 4000), chunks={size}); (x @ x.T).sum()",
        expected=expected_demo(4000), tolerance=3e-3, peers=["dask"], chunk=size)


def child(peer, name):
    """Runs one workload in this process with `peer` and prints {seconds, result, peak_rss_bytes, tasks}."""
    import resource
    from threadpoolctl import threadpool_limits
    import numpy as np
    spec = WORKLOADS[name]
    tasks = None
    if peer == "numpy":
        # One in-memory array, BLAS on every core.
        rng = np.random.default_rng(0)
        start = time.perf_counter()
        if name == "demo":
            x = rng.random((10000, 10000))
            result = float((x @ x.T).sum())
        elif name == "fused":
            x = rng.random((8000, 8000))
            result = float((np.sin(x) ** 2 + np.cos(x) ** 2 - 1).mean())
        else:
            raise SystemExit(f"numpy has no version of {name}")
        seconds = time.perf_counter() - start
    else:
        import dask
        import dask.array as da
        dask.config.set(scheduler="threads", num_workers=int(os.environ.get("PEER_WORKERS", "2")))
        with threadpool_limits(limits=1, user_api="blas"):
            chunk = spec.get("chunk", 1000)
            if name.startswith("demo"):
                n = 10000 if name == "demo" else 4000
                x = da.random.random((n, n), chunks=(chunk, chunk))
                expression = (x @ x.T).sum()
            elif name == "scheduler":
                n = spec["dask_n"]
                expression = (da.ones(n, chunks=1) + 1).sum()
            elif name == "reduction":
                expression = da.random.random((40000, 40000), chunks=(2000, 2000)).sum()
            elif name == "fused":
                x = da.random.random((8000, 8000), chunks=(1000, 1000))
                expression = (da.sin(x) ** 2 + da.cos(x) ** 2 - 1).mean()
            elif name == "stencil":
                def step(block):
                    out = block.copy()
                    out[1:-1, 1:-1] = block[1:-1, 1:-1] + 0.1 * (
                        block[:-2, 1:-1] + block[2:, 1:-1] + block[1:-1, :-2] + block[1:-1, 2:] - 4 * block[1:-1, 1:-1])
                    return out
                x = da.random.random((8000, 8000), chunks=(1000, 1000))
                for _ in range(10):
                    x = x.map_overlap(step, depth=1, boundary="periodic")
                expression = x.mean()
            tasks = len(expression.__dask_graph__())
            start = time.perf_counter()
            result = float(expression.compute())
            seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps(dict(seconds=seconds, result=result, peak_rss_bytes=peak, tasks=tasks)))


def run_blocktop(binary, name, workers):
    spec = WORKLOADS[name]
    out = subprocess.run([binary, "run", "--headless", "--json", "--workers", str(workers), spec["blocktop"]],
                         capture_output=True, text=True, check=True)
    report = json.loads(out.stdout)
    return dict(seconds=report["wall_seconds"], result=report["result"], peak_rss_bytes=report["peak_rss_bytes"],
                tasks=report["tasks"], gflops=report["gflops"])


def run_peer(peer, name):
    out = subprocess.run([sys.executable, __file__, "--child", peer, name], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def check(name, value, runner):
    spec = WORKLOADS[name]
    expected, tolerance = spec["expected"], spec["tolerance"]
    if name == "scheduler" and runner == "dask":
        expected = 2 * spec["dask_n"]
    if tolerance == 0:
        return value == expected
    return abs(value - expected) <= tolerance * max(1.0, abs(expected))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", nargs=2, metavar=("PEER", "WORKLOAD"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", default="")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--blocktop", default=os.path.join(ROOT, ".build", "release", "blocktop"))
    parser.add_argument("--markdown", default="")
    args = parser.parse_args()
    if args.child:
        return child(*args.child)
    os.environ["PEER_WORKERS"] = str(args.workers)
    names = [n for n in WORKLOADS if not args.only or n in args.only.split(",")]
    rows = []
    for name in names:
        spec = WORKLOADS[name]
        samples = {"blocktop": []}
        for peer in spec["peers"]:
            samples[peer] = []
        for _ in range(args.repeat):
            samples["blocktop"].append(run_blocktop(args.blocktop, name, args.workers))
            for peer in spec["peers"]:
                samples[peer].append(run_peer(peer, name))
        for runner, runs in samples.items():
            bad = [r["result"] for r in runs if not check(name, r["result"], runner)]
            if bad:
                print(f"WARNING: {runner} {name}: answers {bad} are off the expected {spec['expected']}", file=sys.stderr)
        mine = statistics.median(r["seconds"] for r in samples["blocktop"])
        for peer in spec["peers"]:
            theirs = statistics.median(r["seconds"] for r in samples[peer])
            if name == "scheduler":
                mine_each = mine / spec["chunks"] * 1e6
                theirs_each = theirs / spec["dask_n"] * 1e6
                figure = (f"{mine_each:.2f} µs vs {theirs_each:.1f} µs per chunk "
                          f"({theirs_each / mine_each:.0f}x as many chunks per second)")
            else:
                figure = f"{mine:.2f} s vs {theirs:.2f} s (ratio {mine / theirs:.2f})"
            rows.append((name, peer, figure,
                         max(r["peak_rss_bytes"] for r in samples["blocktop"]),
                         max(r["peak_rss_bytes"] for r in samples[peer])))
            print(f"{name:16} vs {peer:6} {figure}  peak RSS {rows[-1][3] / 2**20:,.0f} MiB vs {rows[-1][4] / 2**20:,.0f} MiB",
                  flush=True)
        if "gflops" in samples["blocktop"][0]:
            print(f"{name:16} blocktop GFLOP/s median {statistics.median(r['gflops'] for r in samples['blocktop']):.1f}")
    if args.markdown:
        with open(args.markdown, "w") as out:
            out.write("| workload | peer | blocktop vs peer (median) | peak RSS blocktop | peak RSS peer |\n|---|---|---|---|---|\n")
            for name, peer, figure, mine, theirs in rows:
                out.write(f"| {name} | {peer} | {figure} | {mine / 2**20:,.0f} MiB | {theirs / 2**20:,.0f} MiB |\n")


if __name__ == "__main__":
    main()
