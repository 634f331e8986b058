"""Command line: `python3 -m blocktop_bridge attach|local|watch ...` (see PROTOCOL.md)."""

import argparse
import asyncio
import os
import sys

from blocktop_bridge.lines import LineWriter, clip


def parse(argv):
    """The parsed command line."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--protocol-fd", type=int, default=1, metavar="FD",
                        help="file descriptor for the protocol lines (default 1, stdout)")
    cluster = argparse.ArgumentParser(add_help=False, parents=[common])
    cluster.add_argument("--interval", type=float, default=0.5, help="seconds between workers lines")
    parser = argparse.ArgumentParser(prog="python3 -m blocktop_bridge", description=__doc__)
    modes = parser.add_subparsers(dest="mode", required=True)
    attach = modes.add_parser("attach", parents=[cluster], help="watch a running cluster")
    attach.add_argument("--scheduler", required=True, metavar="ADDR", help="e.g. tcp://127.0.0.1:8786")
    attach.add_argument("--timeout", type=float, default=10.0, metavar="S",
                        help="seconds to keep trying to connect (default 10)")
    attach.add_argument("--tls-ca-file", metavar="F")
    attach.add_argument("--tls-cert", metavar="F")
    attach.add_argument("--tls-key", metavar="F")
    local = modes.add_parser("local", parents=[cluster], help="start a local cluster and watch it")
    local.add_argument("--workers", type=int, required=True, metavar="N")
    watch = modes.add_parser("watch", parents=[common], help="run a Python program and watch its dask graphs")
    watch.add_argument("program", nargs=argparse.REMAINDER, help="-- PROGRAM ARGS...")
    args = parser.parse_args(argv)
    if args.mode == "watch":
        args.program = args.program[1:] if args.program[:1] == ["--"] else args.program
        if not args.program:
            parser.error("watch needs a program: watch -- PROGRAM ARGS...")
    if args.mode != "watch" and args.interval <= 0:
        parser.error(f"--interval must be positive, not {args.interval}")
    if args.mode == "local" and args.workers < 1:
        parser.error(f"--workers must be at least 1, not {args.workers}")
    return args


def security(args):
    """distributed's Security for the TLS options, or None without them."""
    if not (args.tls_ca_file or args.tls_cert or args.tls_key):
        return None
    from distributed.security import Security

    return Security(tls_ca_file=args.tls_ca_file, tls_client_cert=args.tls_cert,
                    tls_client_key=args.tls_key, require_encryption=True)


async def cluster_mode(args, out):
    """attach or local, until stdin closes, a signal, or the scheduler goes."""
    from blocktop_bridge.attach import Stop, attach
    from blocktop_bridge.local import local

    stop = Stop()
    stop.watch()
    if args.mode == "local":
        return await local(out, args.workers, args.interval, stop)
    return await attach(out, args.scheduler, args.interval, stop, security=security(args), timeout=args.timeout)


def main(argv=None):
    """Runs one mode; returns the exit status."""
    args = parse(sys.argv[1:] if argv is None else argv)
    try:
        os.fstat(args.protocol_fd)
    except OSError:
        print(f"blocktop-bridge: --protocol-fd {args.protocol_fd} is not open", file=sys.stderr)
        return 2
    out = LineWriter(args.protocol_fd)
    try:
        if args.mode == "watch":
            from blocktop_bridge.watch import watch

            return watch(out, args.program)
        return asyncio.run(cluster_mode(args, out))
    except ImportError as error:
        out.emit("error", message=clip(f"{error}; install it with: {sys.executable} -m pip install \"dask[distributed]\""))
        return 1


if __name__ == "__main__":
    sys.exit(main())
