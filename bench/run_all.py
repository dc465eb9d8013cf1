"""Run every ``bench/bench_*.py`` one after another and show their output as it comes.

Run: ``python bench/run_all.py [--quick]`` (``make bench``, or ``make bench ARGS=--quick``).
``--quick`` is passed on to each benchmark. The exit code is 1 when any benchmark failed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def main() -> int:
    """Run the benchmarks; list the ones that failed at the end."""
    parser = argparse.ArgumentParser(description="Run every bench/bench_*.py.")
    parser.add_argument("--quick", action="store_true", help="fewer runs and smaller sizes in each benchmark")
    args = parser.parse_args()
    scripts = sorted(BENCH.glob("bench_*.py"))
    failed: list[str] = []
    for script in scripts:
        print(f"\n=== {script.name} ===", flush=True)
        start = time.monotonic()
        command = [sys.executable, str(script)] + (["--quick"] if args.quick else [])
        code = subprocess.call(command, cwd=BENCH.parent)
        took = time.monotonic() - start
        print(f"--- {script.name}: {'exit code ' + str(code) if code else 'done'} in {took:.0f} s", flush=True)
        if code:
            failed.append(script.name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
        return 1
    print(f"\nran {len(scripts)} benchmark{'s' if len(scripts) != 1 else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
