"""The reference implementation of user-scheme installs: pip's decision rules applied to wheels.

Runs inside targets as a zipapp (see ``zipapp.py``) with only the stdlib, ``installer`` and
``packaging``; Python 3.10+.
"""

from .. import __version__

__all__ = ["__version__"]
