"""Side-by-side runs of blocktop, dask and NumPy on the same workloads.

Each run happens in its own process so its peak RSS is its own. Runs alternate
(blocktop, dask, numpy, blocktop, ...) for several repetitions; the table gives
medians and the ratio blocktop / peer, and checks every answer against its
expected value (the random streams differ between libraries, so answers are
compared with the expectation and a tolerance, not with each other).

    python3 peers.py [--repeat N] [--only NAME,...] [--blocktop PATH] [--markdown FILE] [--data DIR]
    python3 peers.py --child dask demo        (one run; prints a JSON line)

The file workloads read data made once under --data (NumPy writes it; it stays in the page
cache between runs, as the figures assume): a 4 GB .npy file, and a 512 MB one with the
Zarr 3 store dask writes from it.
"""
import argparse
import json
import math
import os
import shutil
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
# Files: {data} is the data folder, {out} a folder for outputs, emptied before each run.
BIG_NPY_SHAPE = (32768, 16384)   # 4 GiB of float64
ZARR_SHAPE = (8000, 8000)
# Every row of big.npy is 0, 0.5, 1, 0, 0.5 …: sums exact in float64.
BIG_NPY_SUM = BIG_NPY_SHAPE[0] * sum((c % 3) * 0.5 for c in range(BIG_NPY_SHAPE[1]))
WORKLOADS.update({
    "npy-sum": dict(
        blocktop="load('{data}/big.npy').sum()",
        expected=BIG_NPY_SUM, tolerance=0, peers=["numpy", "dask"]),
    # The same sum with the address space limited to a quarter of the file: peak RSS is the figure.
    "npy-sum-limited": dict(
        blocktop="load('{data}/big.npy').sum()", limit_bytes=BIG_NPY_SHAPE[0] * BIG_NPY_SHAPE[1] * 8 // 4,
        expected=BIG_NPY_SUM, tolerance=0, peers=[]),
    "zarr-read": dict(
        blocktop="load('{data}/dask.zarr').sum()",
        expected=ZARR_SHAPE[0] * ZARR_SHAPE[1] * 0.5, tolerance=1e-3, peers=["dask"]),
    "zarr-write": dict(
        blocktop="load('{data}/small.npy', chunks=1000)", output="{out}/blocktop.zarr",
        expected=ZARR_SHAPE[0] * ZARR_SHAPE[1], tolerance=0, peers=["dask"]),
})


def make_data(folder):
    """Writes the file workloads' inputs into `folder` once: values 0, 0.5 and 1 in turn
    (exact sums), and random values for the Zarr store (so zstd has real work)."""
    import numpy as np
    os.makedirs(folder, exist_ok=True)
    big = os.path.join(folder, "big.npy")
    if not os.path.exists(big):
        a = np.lib.format.open_memmap(big + ".part", mode="w+", dtype="<f8", shape=BIG_NPY_SHAPE)
        row = (np.arange(BIG_NPY_SHAPE[1]) % 3) * 0.5
        for r in range(0, BIG_NPY_SHAPE[0], 1024):
            a[r:r + 1024] = row
        a.flush()
        del a
        os.rename(big + ".part", big)
    small = os.path.join(folder, "small.npy")
    if not os.path.exists(small):
        np.save(small + ".part.npy", np.random.default_rng(0).random(ZARR_SHAPE))
        os.rename(small + ".part.npy", small)
    store = os.path.join(folder, "dask.zarr")
    if not os.path.exists(store):
        import dask.array as da
        da.from_array(np.load(small, mmap_mode="r"), chunks=1000).to_zarr(store + ".part")
        os.rename(store + ".part", store)


for size in (250, 500, 1000, 2000):
    WORKLOADS[f"demo4000-b{size}"] = dict(
        blocktop=f"x = random((4000, 4000), chunks={size}); (x @ x.T).sum()",
        expected=expected_demo(4000), tolerance=3e-3, peers=["dask"], chunk=size)


def child(peer, name, data, out):
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
        elif name == "npy-sum":
            # Zero copy: a map of the file, summed in place on one thread.
            result = float(np.load(os.path.join(data, "big.npy"), mmap_mode="r").sum())
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
            elif name == "npy-sum":
                x = da.from_array(np.load(os.path.join(data, "big.npy"), mmap_mode="r"))
                expression = x.sum()
            elif name == "zarr-read":
                expression = da.from_zarr(os.path.join(data, "dask.zarr")).sum()
            elif name == "zarr-write":
                x = da.from_array(np.load(os.path.join(data, "small.npy"), mmap_mode="r"), chunks=1000)
                expression = x.to_zarr(os.path.join(out, "dask.zarr"), compute=False)
            tasks = len(expression.__dask_graph__())
            start = time.perf_counter()
            result = expression.compute()
            seconds = time.perf_counter() - start
            result = float(ZARR_SHAPE[0] * ZARR_SHAPE[1]) if name == "zarr-write" else float(result)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps(dict(seconds=seconds, result=result, peak_rss_bytes=peak, tasks=tasks)))


def run_blocktop(binary, name, workers, data, out_folder):
    spec = WORKLOADS[name]
    command = [binary, "run", "--headless", "--json", "--workers", str(workers), spec["blocktop"].format(data=data)]
    if "output" in spec:
        command += ["--output", spec["output"].format(out=out_folder)]
    if "limit_bytes" in spec:
        command = ["prlimit", f"--as={spec['limit_bytes']}"] + command
    out = subprocess.run(command, capture_output=True, text=True, check=True)
    report = json.loads(out.stdout)
    return dict(seconds=report["wall_seconds"], result=report["result"], peak_rss_bytes=report["peak_rss_bytes"],
                tasks=report["tasks"], gflops=report["gflops"])


def run_peer(peer, name, data, out_folder):
    out = subprocess.run([sys.executable, __file__, "--child", peer, name, "--data", data, "--out", out_folder],
                         capture_output=True, text=True, check=True)
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
    parser.add_argument("--data", default=os.path.join(ROOT, ".build", "bench-data"))
    parser.add_argument("--out", default=os.path.join(ROOT, ".build", "bench-out"))
    args = parser.parse_args()
    if args.child:
        return child(*args.child, args.data, args.out)
    os.environ["PEER_WORKERS"] = str(args.workers)
    names = [n for n in WORKLOADS if not args.only or n in args.only.split(",")]
    if any(n.startswith(("npy", "zarr")) for n in names):
        make_data(args.data)
    rows = []
    for name in names:
        spec = WORKLOADS[name]
        samples = {"blocktop": []}
        for peer in spec["peers"]:
            samples[peer] = []
        for _ in range(args.repeat):
            for runner in ["blocktop"] + spec["peers"]:
                shutil.rmtree(args.out, ignore_errors=True)
                os.makedirs(args.out)
                samples[runner].append(run_blocktop(args.blocktop, name, args.workers, args.data, args.out) if runner == "blocktop"
                                       else run_peer(runner, name, args.data, args.out))
        for runner, runs in samples.items():
            bad = [r["result"] for r in runs if not check(name, r["result"], runner)]
            if bad:
                print(f"WARNING: {runner} {name}: answers {bad} are off the expected {spec['expected']}", file=sys.stderr)
        mine = statistics.median(r["seconds"] for r in samples["blocktop"])
        if not spec["peers"]:
            peak = max(r["peak_rss_bytes"] for r in samples["blocktop"])
            figure = f"{mine:.2f} s, peak RSS {peak / 2**20:,.0f} MiB under a {spec['limit_bytes'] / 2**20:,.0f} MiB address-space limit"
            rows.append((name, "-", figure, peak, 0))
            print(f"{name:16} {figure}", flush=True)
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
