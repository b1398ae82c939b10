"""The ``survey`` command's modules; :mod:`survey.cli.main` assembles them (and the field commands).

Kept free of imports so that ``field_app.cli`` can use the shared helpers in :mod:`survey.cli._common`
without pulling in the whole command tree, which itself includes the field commands.
"""
