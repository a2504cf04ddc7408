"""Benchmarks: ratios measured side by side in one run, reported as medians."""
