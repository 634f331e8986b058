"""Command line: `python3 -m blocktop_bridge attach|local|launch|watch ...` (see PROTOCOL.md)."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from typing import TYPE_CHECKING

from blocktop_bridge import BRIDGE_VERSION
from blocktop_bridge.lines import LineWriter, clip
from blocktop_bridge.messages import Error, Mode

if TYPE_CHECKING:  # dask and distributed are imported by the modes that need them
    from distributed.security import Security

    from blocktop_bridge.attach import Job


def parse(argv: list[str]) -> argparse.Namespace:
    """The parsed command line."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--protocol-fd", type=int, default=1, metavar="FD",
                        help="file descriptor for the protocol lines (default 1, stdout)")
    cluster = argparse.ArgumentParser(add_help=False, parents=[common])
    cluster.add_argument("--interval", type=float, default=0.5, help="seconds between workers lines")
    parser = argparse.ArgumentParser(prog="python3 -m blocktop_bridge", description=__doc__)
    parser.add_argument("--version", action="version", version=f"blocktop-bridge {BRIDGE_VERSION}")
    modes = parser.add_subparsers(dest="mode", required=True)
    remote = argparse.ArgumentParser(add_help=False, parents=[cluster])
    remote.add_argument("--timeout", type=float, default=10.0, metavar="S",
                        help="seconds to keep trying to connect (default 10)")
    remote.add_argument("--tls-ca-file", metavar="F")
    remote.add_argument("--tls-cert", metavar="F")
    remote.add_argument("--tls-key", metavar="F")
    attach = modes.add_parser("attach", parents=[remote], help="watch a running cluster")
    attach.add_argument("--scheduler", required=True, metavar="ADDR", help="e.g. tcp://127.0.0.1:8786")
    local = modes.add_parser("local", parents=[cluster], help="start a local cluster and watch it")
    local.add_argument("--workers", type=int, required=True, metavar="N")
    launch = modes.add_parser("launch", parents=[remote], help="run blocktop's program on a cluster and watch it")
    where = launch.add_mutually_exclusive_group(required=True)
    where.add_argument("--scheduler", metavar="ADDR", help="e.g. tcp://127.0.0.1:8786")
    where.add_argument("--local", type=int, dest="workers", metavar="N",
                       help="start a local cluster of N single-thread workers for the run")
    launch.add_argument("--program", required=True, metavar="FILE", help="blocktop's syntax JSON of the program")
    launch.add_argument("--result", required=True, metavar="FILE", help="the .npy file to write the result to")
    watch = modes.add_parser("watch", parents=[common], help="run a Python program and watch its dask graphs")
    watch.add_argument("program", nargs=argparse.REMAINDER, help="-- PROGRAM ARGS...")
    args = parser.parse_args(argv)
    args.mode = Mode(args.mode)
    if args.mode == Mode.WATCH:
        args.program = args.program[1:] if args.program[:1] == ["--"] else args.program
        if not args.program:
            parser.error("watch needs a program: watch -- PROGRAM ARGS...")
    if args.mode != Mode.WATCH and args.interval <= 0:
        parser.error(f"--interval must be positive, not {args.interval}")
    if args.mode == Mode.LOCAL and args.workers < 1:
        parser.error(f"--workers must be at least 1, not {args.workers}")
    if args.mode == Mode.LAUNCH and args.workers is not None and args.workers < 1:
        parser.error(f"--local must be at least 1, not {args.workers}")
    return args


def security(args: argparse.Namespace) -> Security | None:
    """distributed's Security for the TLS options, or None without them."""
    if not (args.tls_ca_file or args.tls_cert or args.tls_key):
        return None
    from distributed.security import Security

    return Security(tls_ca_file=args.tls_ca_file, tls_client_cert=args.tls_cert,
                    tls_client_key=args.tls_key, require_encryption=True)


async def cluster_mode(args: argparse.Namespace, out: LineWriter) -> int:
    """attach, local or launch, until stdin closes, a signal, the scheduler goes, or launch's run ends."""
    from blocktop_bridge.attach import Stop, attach
    from blocktop_bridge.local import local

    stop = Stop()
    job: Job | None = None
    if args.mode == Mode.LAUNCH:
        from blocktop_bridge.launch import ProgramError, Run, command, prepare

        try:
            job = Run(prepare(args.program), args.result)
        except ProgramError as error:
            out.emit(Error(message=clip(f"cannot translate the expression: {error}")))
            return 2
        stop.watch(lambda line: command(stop, line))
    else:
        stop.watch()
    if args.mode == Mode.LOCAL or args.mode == Mode.LAUNCH and args.workers is not None:
        return await local(out, args.workers, args.interval, stop, mode=args.mode, job=job)
    return await attach(out, args.scheduler, args.interval, stop, mode=args.mode, security=security(args),
                        timeout=args.timeout, job=job)


def main(argv: list[str] | None = None) -> int:
    """Runs one mode; returns the exit status."""
    args = parse(sys.argv[1:] if argv is None else argv)
    try:
        os.fstat(args.protocol_fd)
    except OSError:
        print(f"blocktop-bridge: --protocol-fd {args.protocol_fd} is not open", file=sys.stderr)
        return 2
    out = LineWriter(args.protocol_fd)
    try:
        if args.mode == Mode.WATCH:
            from blocktop_bridge.watch import watch

            return watch(out, args.program)
        return asyncio.run(cluster_mode(args, out))
    except ImportError as error:
        out.emit(Error(message=clip(f"{error}; install it with: {sys.executable} -m pip install \"dask[distributed]\"")))
        return 1


if __name__ == "__main__":
    sys.exit(main())
