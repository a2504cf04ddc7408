"""The wheel the judge expects of a multi-wheel project is the one pip ranks first on the interpreter."""

from __future__ import annotations

from dataclasses import replace

import pytest
from packaging.tags import compatible_tags, sys_tags

from conformance.catalogue.fixtures import all_fixtures
from conformance.judge.tags import best_tag, installed_wheel, platforms, supported_tags
from conformance.run.facts import InterpreterFacts
from tests.windows_facts import windows_facts


def test_host_facts_name_the_host_libc(host_facts: InterpreterFacts) -> None:
    import platform

    assert host_facts.machine == platform.machine()
    assert host_facts.libc.startswith("glibc ") == (platform.libc_ver()[0] == "glibc")


@pytest.mark.parametrize(
    ("libc", "first", "last_specific"),
    [
        ("glibc 2.36", "manylinux_2_36_x86_64", "manylinux1_x86_64"),
        ("musl 1.2.5", "musllinux_1_2_x86_64", "musllinux_1_0_x86_64"),
    ],
)
def test_platforms_run_from_the_libc_version_down(
    host_facts: InterpreterFacts, libc: str, first: str, last_specific: str
) -> None:
    found = platforms(replace(host_facts, libc=libc, machine="x86_64"))
    assert found[0] == first
    assert found[-3:] == [last_specific, "linux_x86_64", "any"]


def test_py3_none_tags_rank_as_packaging_ranks_them(host_facts: InterpreterFacts) -> None:
    facts = replace(host_facts, libc="glibc 2.36", machine="x86_64")
    specific = [p for p in platforms(facts) if p != "any"]
    ranked = [
        str(t) for t in compatible_tags(python_version=(3, 13), interpreter="cp313", platforms=specific)
    ]
    ours = [f"py3-none-{p}" for p in platforms(facts)]
    assert [t for t in ranked if t in ours] == ours


@pytest.mark.parametrize(
    ("libc", "platform"),
    [("musl 1.2.5", "musllinux_1_2_x86_64"), ("glibc 2.36", "manylinux_2_17_x86_64"), ("", "any")],
)
def test_the_most_specific_supported_wheel_is_expected(
    host_facts: InterpreterFacts, libc: str, platform: str
) -> None:
    fixture = all_fixtures()["demo-plat-tags"]
    wheel = installed_wheel(fixture, replace(host_facts, libc=libc, machine="x86_64"))
    assert wheel is not None and wheel.platform == platform
    assert f"demo_plat_tags/wheel_{platform}.py" in {m.path for m in wheel.members}


@pytest.mark.parametrize("libc", ["glibc 2.12", "musl 1.1.24"])
def test_old_libcs_get_the_generic_wheel(host_facts: InterpreterFacts, libc: str) -> None:
    wheel = installed_wheel(
        all_fixtures()["demo-plat-tags"], replace(host_facts, libc=libc, machine="x86_64")
    )
    assert wheel is not None and wheel.platform == "any"


def test_one_wheel_projects_are_their_own_wheel(host_facts: InterpreterFacts) -> None:
    fixture = all_fixtures()["demo-plat"]
    assert installed_wheel(fixture, host_facts) is fixture


def test_the_tags_computed_from_the_facts_are_packagings_own_for_this_interpreter(
    host_facts: InterpreterFacts,
) -> None:
    # The host's facts come from the probe run by this interpreter: packaging has the same tags here, in the
    # same order but for linux_<arch>, which packaging 26 (pip 26's) ranks before the libc's own tags.
    ours, theirs = supported_tags(host_facts), list(sys_tags())
    assert set(ours) == set(theirs)
    assert [t for t in ours if not t.platform.startswith("linux_")] == [
        t for t in theirs if not t.platform.startswith("linux_")
    ]
    assert best_tag(host_facts) == str(ours[0])


def test_windows_ranks_its_one_platform_then_any() -> None:
    facts = windows_facts()
    assert platforms(facts) == ["win_amd64", "any"]
    ranked = [str(t) for t in supported_tags(replace(facts, abi="cp313", version="3.13.9"))]
    assert ranked[:3] == ["cp313-cp313-win_amd64", "cp313-abi3-win_amd64", "cp313-none-win_amd64"]
    assert ranked[-1] == "py30-none-any"


def test_an_impure_wheel_is_picked_by_its_abi_and_none_fits_another_python(
    host_facts: InterpreterFacts,
) -> None:
    base = all_fixtures()["demo-plat"]
    linux = "manylinux_2_17_x86_64.manylinux2014_x86_64"
    wheels = tuple(replace(base, tag=f"cp{v}-cp{v}-{linux}") for v in ("311", "313"))
    fixture = replace(base, variants=wheels)
    facts = replace(host_facts, libc="glibc 2.36", machine="x86_64", os_name="posix")
    for version, abi in (("3.11.2", "cp311"), ("3.13.9", "cp313")):
        wheel = installed_wheel(fixture, replace(facts, version=version, abi=abi))
        assert wheel is not None and wheel.tag == f"{abi}-{abi}-{linux}"
    assert installed_wheel(fixture, replace(facts, version="3.12.3", abi="cp312")) is None
    assert installed_wheel(fixture, replace(facts, version="3.13.9", abi="cp313t")) is None
    assert installed_wheel(fixture, replace(facts, version="3.13.9", abi="cp313", libc="musl 1.2.5")) is None
