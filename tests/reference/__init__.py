"""Tests of the reference user-scheme installer (conformance.reference)."""
