"""The same user install of the same fixture in the same target: pip, pip-latest, uv (--prefix), reference.

Usage: python -m bench.installers [--target debian-bookworm] [--repeat 9] [--package demo-pkg]
Each run gets a fresh container; the time is measured inside it, around the installer process only.
"""

from __future__ import annotations

import argparse
import json
import random

from bench.common import Bench, bench_session, print_table
from conformance.catalogue.accounts import ACCOUNTS
from conformance.catalogue.installers import INSTALLERS
from conformance.catalogue.targets import TARGETS
from conformance.run.facts import InterpreterFacts
from conformance.run.invocation import installer_env
from conformance.run.observe import probe_facts

#: Times the wrapped command in the target, so docker exec's own latency is left out.
_TIMER = (
    "import subprocess, sys, time; t = time.perf_counter(); "
    "r = subprocess.run(sys.argv[1:], capture_output=True); "
    "print(time.perf_counter() - t); sys.stderr.write(r.stderr.decode()); sys.exit(r.returncode)"
)


def commands(
    bench: Bench, facts: InterpreterFacts, package: str
) -> dict[str, tuple[list[str], dict[str, str]]]:
    tools = bench.toolset.placeholders
    source = ["--no-index", "--find-links", tools["wheelhouse"], package]
    # The PEP 668 override by environment, so that every installer takes the same path on every target.
    bsp = {"PIP_BREAK_SYSTEM_PACKAGES": "1", "UV_BREAK_SYSTEM_PACKAGES": "1"}
    return {
        "pip --user": (
            ["python3", "-m", "pip", "install", "--user", *source],
            {**installer_env(INSTALLERS["pip"]), **bsp},
        ),
        "pip-latest --user": (
            ["python3", tools["pip_latest"], "install", "--user", *source],
            {**installer_env(INSTALLERS["pip-latest"]), **bsp},
        ),
        "uv --prefix <user base>": (
            [tools["uv"], "pip", "install", "--prefix", facts.user_base, *source],
            {**installer_env(INSTALLERS["uv"]), **bsp},
        ),
        "reference --user": (["python3", tools["reference"], "install", "--user", *source], bsp),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--target", default="debian-bookworm", choices=sorted(TARGETS))
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--package", default="demo-pkg")
    args = parser.parse_args()
    user = ACCOUNTS["user"]
    with bench_session(args.target) as bench:
        with bench.container() as container:
            facts = probe_facts(container, user, {})
        runs = commands(bench, facts, args.package)
        times: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(args.repeat):
            order = list(runs)
            random.shuffle(order)  # interleaved in a new order each round
            for name in order:
                argv, env = runs[name]
                with bench.container() as container:
                    result = container.exec(["python3", "-c", _TIMER, *argv], user, env)
                if result.exit_code != 0:
                    raise SystemExit(f"{name} failed: {result.stderr.strip()[-500:]}")
                times[name].append(float(json.loads(result.stdout.strip().splitlines()[-1])))
    staged = (f"{name} {version}" for name, version in bench.toolset.versions.items())
    versions = ", ".join((f"pip {facts.pip_version}", *staged))
    print_table(
        f"user install of {args.package} in {args.target} as {user.name} ({versions})",
        times,
        "reference --user",
    )


if __name__ == "__main__":
    main()
