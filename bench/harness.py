"""How long the harness takes: cold and warm image builds, and per cell the harness beside the installer.

Usage: python -m bench.harness [--target debian-bookworm] [--repeat 5] [--skip-cold]
Cells run one after another as a matrix worker runs them (containers started and snapshotted ahead).
Harness time is a cell's wall time, from asking for its container to its removal being queued, minus
the installer's own processes (the command, and the set-up install of uninstall cells).
The cold build removes the target's image first, so do not run it beside a matrix run.
"""

from __future__ import annotations

import argparse
import time

from bench.common import bench_session, median, print_table
from conformance.backend.engine import ensure_engine
from conformance.backend.images import ensure_image, image_tag
from conformance.catalogue.installers import spellings_for
from conformance.catalogue.scenarios import SCENARIOS
from conformance.catalogue.targets import TARGETS
from conformance.matrix.cells import CellSpec
from conformance.run.cell import run_cell

#: An install, a venv cell and an uninstall cell: the three shapes of cell the matrix has.
SCENARIOS_BENCHED = ("explicit-user-bsp", "venv-user", "uninstall")


def image_build_times(target: str) -> tuple[float, float]:
    """Seconds for a cold build (image removed first) and a warm one (cached)."""
    client = ensure_engine()
    tag = image_tag(TARGETS[target], "local")
    if any(tag in i.tags for i in client.images.list()):
        client.images.remove(tag, force=True)
    cold = ensure_image(client, TARGETS[target], "local")
    warm = ensure_image(client, TARGETS[target], "local")
    assert not cold.cached and warm.cached
    return cold.seconds, warm.seconds


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--target", default="debian-bookworm", choices=sorted(TARGETS))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-cold", action="store_true", help="do not remove and rebuild the image")
    args = parser.parse_args()
    if not args.skip_cold:
        cold, warm = image_build_times(args.target)
        print(f"image {args.target}: cold build {cold:.1f} s, warm (cached) {warm * 1000:.0f} ms")
    specs = [
        CellSpec(args.target, "user", scenario, "demo-pkg", spelling.name)
        for scenario in SCENARIOS_BENCHED
        for spelling in spellings_for(SCENARIOS[scenario])
    ]
    harness: dict[str, list[float]] = {s.id: [] for s in specs}
    installer: dict[str, list[float]] = {s.id: [] for s in specs}
    with bench_session(args.target) as bench, bench.pool() as pool:
        pool.release(pool.take(bench.image))  # the first start is not a cell's: warm the spare
        started = time.monotonic()
        for _ in range(args.repeat):
            for spec in specs:  # interleaved, so drift hits every cell alike
                start = time.monotonic()
                container = pool.take(bench.image)
                cell = run_cell(spec, container, bench.toolset)
                pool.release(container)
                processes = cell.timing["command"] + sum(s.seconds for s in cell.observation.setup)
                harness[spec.id].append(time.monotonic() - start - processes)
                installer[spec.id].append(processes)
        wall = time.monotonic() - started
    cells = args.repeat * len(specs)
    total_installer = sum(sum(v) for v in installer.values())
    print(
        f"\n{cells} cells in {wall:.1f} s: {wall / cells:.2f} s per cell, installer {total_installer:.1f} s"
    )
    print(f"wall / installer time: x{wall / total_installer:.2f}")
    print("\nmedian per cell (harness = wall time minus the installer's processes)")
    for spec in specs:
        name = f"{spec.scenario}/{spec.spelling}"
        h, i = median(harness[spec.id]), median(installer[spec.id])
        print(f"  {name:<32} harness {h:6.3f} s  installer {i:6.3f} s  harness/installer x{h / i:5.1f}")
    print_table("harness time per cell", {f"{s.scenario}/{s.spelling}": harness[s.id] for s in specs})
    worst = max(median(v) for v in harness.values())
    print(f"\nworst median harness time per cell: {worst:.3f} s")


if __name__ == "__main__":
    main()
