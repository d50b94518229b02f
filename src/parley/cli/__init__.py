"""The ``parley`` command line."""
