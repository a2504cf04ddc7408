"""The wheel the judge expects of a multi-wheel project is the one pip ranks first on the interpreter."""

from __future__ import annotations

from dataclasses import replace

import pytest
from packaging.tags import compatible_tags

from conformance.catalogue.fixtures import all_fixtures
from conformance.judge.tags import installed_wheel, platforms
from conformance.run.facts import InterpreterFacts


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
    assert wheel.platform == platform
    assert f"demo_plat_tags/wheel_{platform}.py" in {m.path for m in wheel.members}


def test_old_libcs_get_the_generic_wheel(host_facts: InterpreterFacts) -> None:
    fixture = all_fixtures()["demo-plat-tags"]
    assert (
        installed_wheel(fixture, replace(host_facts, libc="glibc 2.12", machine="x86_64")).platform == "any"
    )
    assert (
        installed_wheel(fixture, replace(host_facts, libc="musl 1.1.24", machine="x86_64")).platform == "any"
    )


def test_one_wheel_projects_are_their_own_wheel(host_facts: InterpreterFacts) -> None:
    fixture = all_fixtures()["demo-plat"]
    assert installed_wheel(fixture, host_facts) is fixture
