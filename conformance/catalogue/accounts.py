"""Accounts: who runs the installer inside a target."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Account:
    """A login on the target, created when its image is built."""

    name: str
    uid: int
    gid: int
    home: str

    @property
    def user_spec(self) -> str:
        return f"{self.uid}:{self.gid}"

    @property
    def venv(self) -> str:
        """The account's venv (without system site-packages), made when the image is built."""
        return f"{self.home}/venv"


ACCOUNTS: dict[str, Account] = {
    a.name: a
    for a in (
        Account("root", 0, 0, "/root"),
        Account("user", 1000, 1000, "/home/user"),
    )
}


def other_account(account: Account) -> Account:
    """The account used to check whether an install is visible to someone else."""
    return ACCOUNTS["user"] if account.name == "root" else ACCOUNTS["root"]
