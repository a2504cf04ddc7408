"""Carry out a cell: render the invocation, run it in a target, observe what happened."""
