"""Run by a Windows CPython (under Wine in the Wine target's image): the host backend on Windows, its
controller included, against that interpreter itself.

usage: windows_host_driver.py TOOLSET_JSON_FILE SCENARIO:SPELLING...; prints one JSON document: what a cell's
process makes of its environment, and each cell's verdict.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from conformance.backend.host import HostAccounts, HostBackend, describe
from conformance.backend.staging import Toolset
from conformance.matrix.cells import CellSpec
from conformance.run.host import run_host_cell

#: Where site, sysconfig, ntpath and tempfile put things in a cell, and which python PATH leads to.
SEEN = (
    "import json, os, shutil, site, sysconfig, tempfile; print(json.dumps({"
    "'user_base': site.getuserbase(), 'user_site': site.getusersitepackages(), "
    "'nt_user': sysconfig.get_paths('nt_user'), 'home': os.path.expanduser('~'), "
    "'temp': tempfile.gettempdir(), 'python': shutil.which('python'), 'names': sorted(os.environ)}))"
)


def main(toolset: Toolset, cells: list[str]) -> dict[str, Any]:
    """The profile a cell's process sees, then each cell of the standard user with demo-pkg."""
    target = describe(sys.executable)
    accounts = HostAccounts.here()
    with HostBackend(target, toolset.in_place(), accounts) as backend:
        account = backend.accounts["user"]
        seen = backend.exec([target.python, "-c", SEEN], account)
    verdicts = {}
    for cell in cells:
        scenario, spelling = cell.split(":")
        spec = CellSpec(target.name, "user", scenario, "demo-pkg", spelling)
        done = run_host_cell(spec, target, toolset, accounts, allow_system_writes=False)
        verdicts[cell] = {
            "verdict": done.verdict.value,
            "reasons": done.judgement.reasons,
            "stderr": done.observation.command.stderr,
            "scripts": [[s.path, s.exit_code, s.on_login_path] for s in done.observation.scripts],
        }
    return {
        "target": target.python,
        "missing": accounts.missing,
        "home": account.home,
        "controller": sorted(os.environ),
        "seen": json.loads(seen.stdout),
        "cells": verdicts,
    }


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as toolset:
        print(json.dumps(main(Toolset.from_json(toolset.read()), sys.argv[2:])))
