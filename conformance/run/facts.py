"""The probe's report about an interpreter, as the account running it sees it, in typed form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class InterpreterFacts:
    """What the target's own interpreter says about itself: schemes, user site, PEP 668, writability."""

    executable: str
    version: str
    prefix: str
    home: str
    in_venv: bool
    venv_system_site: bool
    enable_user_site: bool | None  # None: disabled for security reasons (uid/euid mismatch)
    user_base: str
    user_site: str
    schemes: dict[str, dict[str, str]]
    preferred_user: str
    default_scheme: str
    default_writable: bool
    externally_managed: bool
    pip_version: str | None
    libc: str  # "glibc 2.36", "musl 1.2.5"
    machine: str  # platform.machine(): the architecture of wheel platform tags
    proof: dict[str, str]  # the kernel's word on who ran the probe: uid, capabilities, no-new-privileges
    os_name: str = "posix"  # "nt": the schemes' paths are Windows paths
    temp: str | None = None  # the interpreter's temporary directory
    abi: str = ""  # the ABI tag of its extension modules ("cp313"; "" for an interpreter that is not CPython)

    @property
    def version_short(self) -> str:
        return ".".join(self.version.split(".")[:2])

    @classmethod
    def from_probe(cls, raw: dict[str, Any]) -> InterpreterFacts:
        cfg = raw.get("pyvenv_cfg", {})
        return cls(
            executable=raw["executable"],
            version=raw["version"],
            prefix=raw["prefix"],
            home=raw["home"],
            in_venv=raw["in_venv"],
            venv_system_site=str(cfg.get("include-system-site-packages", "")).lower() == "true",
            enable_user_site=raw["enable_user_site"],
            user_base=raw["user_base"],
            user_site=raw["user_site"],
            schemes=raw["schemes"],
            preferred_user=raw["preferred"]["user"],
            default_scheme=raw["default_scheme"],
            default_writable=all(raw["default_writable"].values()),
            externally_managed=raw["externally_managed"]["present"],
            pip_version=raw.get("pip_version"),
            libc=" ".join(p for p in raw.get("libc", []) if p),
            machine=raw.get("machine", ""),
            proof=dict(raw.get("proof", {})),
            os_name=raw.get("os_name", "posix"),
            temp=raw.get("temp"),
            abi=raw.get("abi", ""),
        )

    def summary(self) -> dict[str, object]:
        """The facts a reader of the matrix needs beside each cell."""
        return {
            "python": self.version,
            "executable": self.executable,
            "in_venv": self.in_venv,
            "default_scheme": self.default_scheme,
            "default_writable": self.default_writable,
            "user_scheme": self.preferred_user,
            "user_base": self.user_base,
            "user_site": self.user_site,
            "enable_user_site": self.enable_user_site,
            "externally_managed": self.externally_managed,
            "libc": self.libc,
            "abi": self.abi,
            "proof": self.proof,
        }
