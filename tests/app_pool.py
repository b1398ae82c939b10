"""Apps reused between tests, each time with a fresh state.

Why: building the app registers some 250 route handlers (signatures parsed, dependency models made),
about 0.3 s of CPU, and most web tests used to build one each. The handlers do not depend on the
settings beyond :func:`survey.app.construction_key`; what does (the store, the services' shared parts,
the response cache) is made anew from the test's settings by :func:`survey.app.app_state`, the same
function ``create_app`` uses. An app is lent to one test at a time, so two apps open at once in one
test (two servers, two settings) are two apps.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # survey.app (pandas, polars, Litestar) is imported by the first test that needs an app
    from litestar import Litestar

    from survey.settings import Settings

_FREE: dict[tuple[object, ...], list[Litestar]] = {}


@contextmanager
def lent_app(settings: Settings) -> Iterator[Litestar]:
    """An app for ``settings``: a returned one made new, else a new one; returned when the block ends.

    The app's modules are imported here, not when a test module imports this one: collecting the suite
    then costs a worker no pandas, polars or route module it would not otherwise load.
    """
    from litestar.stores.registry import StoreRegistry

    from survey.app import app_state, construction_key, create_app

    key = construction_key(settings)
    free = _FREE.setdefault(key, [])
    if free:
        app = free.pop()
        app.state = app_state(settings)
        app.stores = StoreRegistry()  # the response cache starts empty, as in a new app
    else:
        app = create_app(settings)
    try:
        yield app
    finally:
        free.append(app)
