"""``python -m survey`` runs the same CLI as the ``survey`` command."""

from survey.cli.main import run

run()
