"""Judge an observation: pip's intent, the expected layout from sysconfig, the verdict."""
