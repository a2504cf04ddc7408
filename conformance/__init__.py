"""A conformance suite for Python user-scheme installs."""

__version__ = "0.1.0"
