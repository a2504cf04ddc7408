"""Declarative data of the matrix: targets, accounts, scenarios, fixtures, installers."""
