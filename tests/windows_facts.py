"""Facts of the Wine target's Windows CPython 3.13 as its probe reported them (paths as sysconfig gave)."""

from __future__ import annotations

from conformance.run.facts import InterpreterFacts

PREFIX = "C:\\Program Files\\Python313"
USER_BASE = "C:\\users\\user\\AppData\\Roaming\\Python"
USER_SITE = f"{USER_BASE}\\Python313\\site-packages"


def _nt(base: str) -> dict[str, str]:
    return {
        "data": base,
        "include": f"{base}\\Include",
        "platinclude": f"{base}\\Include",
        "platlib": f"{base}\\Lib\\site-packages",
        "platstdlib": f"{base}\\Lib",
        "purelib": f"{base}\\Lib\\site-packages",
        "scripts": f"{base}\\Scripts",
        "stdlib": f"{base}\\Lib",
    }


def windows_facts() -> InterpreterFacts:
    """A standard user's facts: site-packages not writeable, the user site on, no PEP 668 marker."""
    user = f"{USER_BASE}\\Python313"
    raw = {
        "executable": f"{PREFIX}\\python.exe",
        "version": "3.13.2",
        "prefix": PREFIX,
        "home": "C:\\users\\user",
        "in_venv": False,
        "enable_user_site": True,
        "user_base": USER_BASE,
        "user_site": USER_SITE,
        "schemes": {
            "nt": _nt(PREFIX),
            "nt_user": {
                "data": USER_BASE,
                "include": f"{user}\\Include",
                "platlib": f"{user}\\site-packages",
                "platstdlib": user,
                "purelib": f"{user}\\site-packages",
                "scripts": f"{user}\\Scripts",
                "stdlib": user,
            },
        },
        "preferred": {"prefix": "nt", "home": "posix_home", "user": "nt_user"},
        "default_scheme": "nt",
        "default_writable": {"purelib": False, "platlib": False},
        "externally_managed": {"marker": f"{PREFIX}\\Lib\\EXTERNALLY-MANAGED", "present": False},
        "pip_version": "24.3.1",
        "libc": ["", ""],
        "machine": "AMD64",
        "os_name": "nt",
        "temp": "C:\\users\\user\\AppData\\Local\\Temp",
        "proof": {},
    }
    return InterpreterFacts.from_probe(raw)
