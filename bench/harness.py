"""How long the harness takes: cold and warm image builds, and per cell the harness beside the installer.

Usage: python -m bench.harness [--target debian-bookworm] [--repeat 5] [--skip-cold]
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

SCENARIO = "explicit-user-bsp"


def image_build_times(target: str) -> tuple[float, float]:
    """Seconds for a cold build (image removed first) and a warm one (cached)."""
    client = ensure_engine()
    tag = image_tag(TARGETS[target], "debootstrap")
    if any(tag in i.tags for i in client.images.list()):
        client.images.remove(tag, force=True)
    cold = ensure_image(client, TARGETS[target], "debootstrap")
    warm = ensure_image(client, TARGETS[target], "debootstrap")
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
    spellings = [s.name for s in spellings_for(SCENARIOS[SCENARIO])]
    harness: dict[str, list[float]] = {s: [] for s in spellings}
    command: dict[str, list[float]] = {s: [] for s in spellings}
    with bench_session(args.target) as bench:
        for _ in range(args.repeat):
            for spelling in spellings:  # interleaved, so drift hits every spelling alike
                spec = CellSpec(args.target, "user", SCENARIO, "demo-pkg", spelling)
                start = time.monotonic()
                with bench.container() as container:
                    cell = run_cell(spec, container, bench.toolset)
                harness[spelling].append(time.monotonic() - start)
                command[spelling].append(cell.timing["command"])
    print(f"\nper cell ({args.target}/user/{SCENARIO}/demo-pkg), harness = container start to removal")
    for spelling in spellings:
        ratio = median(harness[spelling]) / median(command[spelling])
        print(
            f"  {spelling:<12} harness {median(harness[spelling]):6.2f} s"
            f"  installer {median(command[spelling]):6.3f} s  harness/installer x{ratio:5.1f}"
        )
    print_table("harness time per cell", {s: harness[s] for s in spellings})


if __name__ == "__main__":
    main()
