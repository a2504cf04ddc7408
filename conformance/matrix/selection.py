"""Which cells a run covers: the catalogue filtered by the command-line selection, names checked."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from conformance.catalogue.accounts import ACCOUNTS
from conformance.catalogue.fixtures import matrix_fixtures, rows_of
from conformance.catalogue.installers import INSTALLERS, SPELLING_NAMES
from conformance.catalogue.scenarios import SCENARIOS
from conformance.catalogue.targets import TARGETS
from conformance.matrix.cells import CellSpec, all_specs

#: The quick selection (the test command's) keeps each scenario's rows of its first package (the main one,
#: or the one the scenario is about), and the other packages only in the scenario where every spelling can
#: install on every target (PEP 668 overridden by its flag), on the targets of QUICK_HOMES.
QUICK_PACKAGES_SCENARIO = "explicit-user-bsp"
#: It runs these scenarios on every target (venv-user on QUICK_TARGETS and the machine's interpreters), and
#: each of the others on one target (its home, below).
QUICK_CORE_SCENARIOS = frozenset(
    {"implicit", "implicit-bsp", "explicit-user", "explicit-user-bsp", "venv-user", "uninstall"}
)
#: Where the quick selection runs each other scenario: one target of each kind of recipe (a distribution's
#: python3 with the PEP 668 marker, a /usr/local CPython, the musl build, Windows under Wine) shares them,
#: each scenario where its rows say most. Running them all on all four made CI's cold run 85 minutes.
QUICK_HOMES: dict[str, str] = {
    "list-pip-installed": "debian-bookworm",
    "uninstall-pip-installed": "debian-bookworm",
    "venv-system-site-user": "debian-bookworm",
    "freeze-uv-installed": "debian-bookworm",
    "next-stage-user-base": "debian-bookworm",
    "next-stage-other-home": "debian-bookworm",
    "uv-venv": "debian-bookworm",
    "user-base-in-use": "debian-bookworm",
    # root owns and can write /usr/local: the system copy is where pip's resolver meets it.
    "system-copy-older": "python-3.13-bookworm",
    "system-copy-newer": "python-3.13-bookworm",
    "system-copy-upgrade": "python-3.13-bookworm",
    "system-dependency": "python-3.13-bookworm",
    "pip-user-env": "musl-cpython3.13",
    "no-user-override": "musl-cpython3.13",
    "no-user-site": "musl-cpython3.13",
    "freeze-pip-installed": "musl-cpython3.13",
    "show-uv-installed": "musl-cpython3.13",
    # uv's --prefix layout is not the user scheme's on Windows: what another installer sees differs there.
    "list-uv-installed": "windows-cpython3.13-wine",
    "uninstall-uv-installed": "windows-cpython3.13-wine",
    "show-pip-installed": "windows-cpython3.13-wine",
    "custom-userbase": "windows-cpython3.13-wine",
}
QUICK_TARGETS = frozenset(QUICK_HOMES.values())
#: What the other targets run: the core scenarios with the main package, less venv-user (its rows are the
#: venv module's and the venv's own pip, alike on every target of a kind); a target of QUICK_TARGETS of the
#: same kind stands for them in the rest.
QUICK_STOOD_FOR_SCENARIOS = QUICK_CORE_SCENARIOS - {"venv-user"}


def _quick(spec: CellSpec) -> bool:
    main = spec.fixture == rows_of(SCENARIOS[spec.scenario])[0]
    if spec.target in QUICK_TARGETS:
        if spec.scenario in QUICK_CORE_SCENARIOS:
            return main or spec.scenario == QUICK_PACKAGES_SCENARIO
        return main and QUICK_HOMES[spec.scenario] == spec.target
    if spec.target in TARGETS:
        return main and spec.scenario in QUICK_STOOD_FOR_SCENARIOS
    # A host target is the machine's own interpreter, of no kind another target stands for: in CI it is the
    # runner's, which no user asked about, so its rows prove the host backend end to end with the core
    # scenarios; the nightly runs the machines' interpreters in full.
    return main and spec.scenario in QUICK_CORE_SCENARIOS


class SelectionError(ValueError):
    """A selection names something the catalogue does not have; the message lists what it has."""


def parse_names(option: str, value: str | None, valid: list[str]) -> list[str] | None:
    """Split a comma-separated option value and check every name; ``None`` means "all"."""
    if value is None or value.strip() in ("", "all"):
        return None
    names = [n.strip() for n in value.split(",") if n.strip()]
    unknown = [n for n in names if n not in valid]
    if unknown:
        raise SelectionError(
            f"{option}: unknown {', '.join(repr(n) for n in unknown)}; valid names: {', '.join(valid)}"
        )
    return names


@dataclass(frozen=True)
class Selection:
    """The chosen names per dimension (``None``: everything)."""

    targets: list[str] | None = None
    accounts: list[str] | None = None
    scenarios: list[str] | None = None
    fixtures: list[str] | None = None
    installers: list[str] | None = None
    spellings: list[str] | None = None
    host_targets: tuple[str, ...] = ()  # this machine's interpreters (the host backend), beside the catalogue
    quick: bool = False  # see QUICK_PACKAGES_SCENARIO

    @classmethod
    def from_options(
        cls, get: dict[str, str | None], host_targets: Sequence[str] = (), quick: bool = False
    ) -> Selection:
        targets = get.get("targets")
        if targets and host_targets:
            # "host": every host target, whatever this machine's interpreters are named.
            names = [n.strip() for n in targets.split(",")]
            targets = ",".join(t for n in names for t in (host_targets if n == "host" else [n]))
        return cls(
            targets=parse_names("--targets", targets, [*TARGETS, *host_targets]),
            accounts=parse_names("--accounts", get.get("accounts"), list(ACCOUNTS)),
            scenarios=parse_names("--scenarios", get.get("scenarios"), list(SCENARIOS)),
            fixtures=parse_names("--packages", get.get("fixtures"), list(matrix_fixtures())),
            installers=parse_names("--installers", get.get("installers"), list(INSTALLERS)),
            spellings=parse_names("--spellings", get.get("spellings"), list(SPELLING_NAMES)),
            host_targets=tuple(host_targets),
            quick=quick,
        )

    def cells(self) -> list[CellSpec]:
        """The selected cells, sorted so that every xdist worker collects the same list."""

        def keep(chosen: list[str] | None, name: str) -> bool:
            return chosen is None or name in chosen

        return [
            spec
            for spec in all_specs(self.targets or [*TARGETS, *self.host_targets])
            if keep(self.accounts, spec.account)
            and keep(self.scenarios, spec.scenario)
            and keep(self.fixtures, spec.fixture)
            and keep(self.installers, spec.resolve_spelling().installer.name)
            and keep(self.spellings, spec.spelling)
            and (not self.quick or _quick(spec))
        ]

    def as_dict(self) -> dict[str, list[str] | None]:
        return {
            k: getattr(self, k)
            for k in ("targets", "accounts", "scenarios", "fixtures", "installers", "spellings")
        }
