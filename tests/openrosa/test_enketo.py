"""A client that makes exactly the requests Enketo Express makes of an OpenRosa server.

Read from Enketo Express's ``app/lib/communicator/communicator.js`` and
``app/controllers/submission-controller.js`` (enketo/enketo monorepo): Enketo is told a server URL and
a form id (``POST /api/v2/survey`` on Enketo's side), then, from its own server (no browser request
reaches ours, so no CORS is involved):

1. ``authenticate``: ``HEAD {server}/formList?formID={id}``;
2. ``getXFormInfo``: ``GET {server}/formList?formID={id}``, then the ``<xform>`` whose formID is the id;
3. ``getManifest``: ``GET`` its manifestUrl, each ``mediaFile``'s downloadUrl fetched for the form;
4. ``getXForm``: ``GET`` its downloadUrl;
5. ``getMaxSize``: ``HEAD {server}/submission``, reading ``X-OpenRosa-Accept-Content-Length``;
6. a submission: ``getAuthHeader`` sends ``HEAD {server}/submission`` without credentials and builds
   Basic from the 401; the browser's multipart body (``xml_submission_file``) is then piped as
   ``POST {server}/submission`` with ``X-OpenRosa-Version: 1.0``, ``Date``, ``User-Agent: Enketo/…``
   and the browser's ``X-OpenRosa-Instance-Id`` (and ``X-OpenRosa-Deprecated-Id`` for an edit).

Every request carries ``X-OpenRosa-Version: 1.0`` and ``Date``; credentials are sent as the
``request`` library does with ``sendImmediately: false``: without first, again with Basic after a 401.
"""

from __future__ import annotations

import email.utils
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from survey.store.models import Response
from tests.field_app.conftest import FieldEnv, basic
from tests.openrosa.test_collect import ANSWERS, fill, message

LIST = "{http://openrosa.org/xforms/xformsList}"
MANIFEST = "{http://openrosa.org/xforms/xformsManifest}"
USER_AGENT = "Enketo/7.5.1 Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0"


@dataclass
class Enketo:
    """Enketo Express's side of one survey: the server URL and form id it was given, and credentials."""

    client: TestClient  # type: ignore[type-arg]
    server: str
    form_id: str
    user: str = "int1"

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        return {"X-OpenRosa-Version": "1.0", "Date": email.utils.formatdate(usegmt=True),
                "User-Agent": USER_AGENT, **(extra or {})}  # fmt: skip

    def request(self, method: str, url: str, **kwargs: Any) -> Any:
        """``sendImmediately: false``: without credentials, then Basic once the server asks for it."""
        first = self.client.request(method, url, headers=self._headers(kwargs.pop("headers", None)), **kwargs)
        if first.status_code != 401:
            return first
        assert first.headers["WWW-Authenticate"].startswith("Basic"), first.headers
        return self.client.request(method, url, headers=self._headers(basic(self.user)), **kwargs)

    def form_list_url(self) -> str:
        return f"{self.server.rstrip('/')}/formList?formID={self.form_id}"

    def open_form(self) -> tuple[str, dict[str, bytes], int]:
        """Steps 1 to 5: the XForm, its media by file name, and the largest submission accepted."""
        assert self.request("HEAD", self.form_list_url()).status_code == 200
        listed = self.request("GET", self.form_list_url())
        assert listed.status_code == 200, listed.text
        info = next(
            {child.tag.removeprefix(LIST): child.text or "" for child in xform}
            for xform in ET.fromstring(listed.text).iterfind(f"{LIST}xform")
            if xform.findtext(f"{LIST}formID") == self.form_id
        )
        manifest = self.request("GET", info["manifestUrl"])
        assert manifest.status_code == 200, manifest.text
        media = {}
        for file in ET.fromstring(manifest.text).iterfind(f"{MANIFEST}mediaFile"):
            fetched = self.request("GET", file.findtext(f"{MANIFEST}downloadUrl") or "")
            assert fetched.status_code == 200, fetched.text
            media[file.findtext(f"{MANIFEST}filename") or ""] = fetched.content
        xform = self.request("GET", info["downloadUrl"])
        assert xform.status_code == 200, xform.text
        size = self.request("HEAD", f"{self.server.rstrip('/')}/submission")
        return xform.text, media, int(size.headers["x-openrosa-accept-content-length"])

    def submit(self, document: bytes, instance_id: str, deprecated_id: str | None = None) -> Any:
        """Step 6: the auth header from a HEAD without credentials, then the browser's body piped on."""
        url = f"{self.server.rstrip('/')}/submission"
        challenge = self.client.head(url, headers=self._headers())
        assert challenge.status_code == 401, challenge.text
        headers = {**basic(self.user), "X-OpenRosa-Instance-Id": instance_id}
        if deprecated_id:
            headers["X-OpenRosa-Deprecated-Id"] = deprecated_id
        files = {"xml_submission_file": ("xml_submission_file", document, "text/xml")}
        return self.client.post(url, files=files, headers=self._headers(headers))


@pytest.mark.parametrize("address", ["consultation", "server"])
def test_enketo_opens_the_form_and_submits_new_and_edited_records(
    client: TestClient,
    sessions: sessionmaker[Session],
    field_env: FieldEnv,
    address: str,  # type: ignore[type-arg]
) -> None:
    enketo = (
        Enketo(client, f"/openrosa/{field_env.slug}", "field_test")
        if address == "consultation"
        else Enketo(client, "/openrosa/", f"{field_env.slug}.field_test")
    )
    xform, media, max_size = enketo.open_form()
    assert media == {} and max_size > 0
    record = str(uuid.uuid4())
    sent = enketo.submit(fill(xform, ANSWERS, f"uuid:{record}"), f"uuid:{record}")
    assert sent.status_code == 201 and sent.headers["X-OpenRosa-Version"] == "1.0", sent.text
    assert message(sent) == "Interview received."
    edit = str(uuid.uuid4())
    edited = fill(xform, {**ANSWERS, "age": "52"}, f"uuid:{edit}", deprecated=f"uuid:{record}")
    assert enketo.submit(edited, f"uuid:{edit}", f"uuid:{record}").status_code == 201
    with sessions() as session:
        correction = session.scalar(select(Response).where(Response.uuid == edit))
        assert correction is not None and correction.replaces_uuid == record


def test_enketo_is_told_plainly_when_the_form_id_is_not_listed(
    client: TestClient, field_env: FieldEnv
) -> None:  # type: ignore[type-arg]
    """Enketo answers "not found in form list" itself from an empty list; the list must not hold others."""
    enketo = Enketo(client, f"/openrosa/{field_env.slug}", "someone_elses_form")
    listed = enketo.request("GET", enketo.form_list_url())
    assert listed.status_code == 200 and ET.fromstring(listed.text).find(f"{LIST}xform") is None
