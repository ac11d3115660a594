"""The package's version, in one place (imported by the package and by the records)."""

__version__ = "0.4.0"
