"""Civic consultation platform: questionnaires, the common store, the web app and the CLI."""

__version__ = "0.1.0"
