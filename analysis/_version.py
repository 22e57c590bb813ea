"""The package's version: the one place it is written (``pyproject.toml`` reads it from here).

Read at import, without ``importlib.metadata``, which costs a command's start-up some 35 ms.
Ground level: imports nothing.
"""

__version__ = "0.1.0"
