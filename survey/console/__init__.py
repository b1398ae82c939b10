"""The organisers' console under ``/console``: run a consultation from the browser.

Controllers here stay thin (parse, call a service in ``survey/store/services``, render); the CLI
calls the same services, so one rule has two doors. See README.md for adding a page.
"""
