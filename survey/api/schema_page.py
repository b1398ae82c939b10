"""``/schema``: the API reference as one server-rendered page, with nothing loaded from elsewhere.

Litestar's viewers (Redoc, Swagger UI, …) load their scripts and fonts from a CDN, which the strict
CSP rightly refuses and which told a third party about every visit. This page is plain HTML built
from the same OpenAPI document (``/schema/openapi.json``, which tools and schemathesis read): each
operation with its summary, parameters, request body and responses, under the site's own stylesheet.
"""

from __future__ import annotations

from html import escape
from typing import Any

from litestar import Request
from litestar.openapi.plugins import OpenAPIRenderPlugin

__all__ = ["SchemaPage"]

_METHODS = ("get", "post", "put", "patch", "delete")


def _ref_name(schema: dict[str, Any] | None) -> str:
    """``#/components/schemas/AckOut`` as ``AckOut``; other schemas by their type."""
    if not schema:
        return ""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if schema.get("type") == "array":
        return f"list of {_ref_name(schema.get('items'))}"
    return str(schema.get("type", "object"))


def _operation(path: str, method: str, op: dict[str, Any]) -> str:
    parts = [f'<section class="op"><h3><code>{method.upper()} {escape(path)}</code></h3>']
    if op.get("summary"):
        parts.append(f"<p>{escape(str(op['summary']))}</p>")
    if op.get("description"):
        parts.append(f"<p>{escape(str(op['description']))}</p>")
    params = op.get("parameters") or []
    if params:
        rows = "".join(
            f"<tr><td><code>{escape(str(p.get('name')))}</code></td><td>{escape(str(p.get('in')))}</td>"
            f"<td>{'yes' if p.get('required') else 'no'}</td><td>{escape(_ref_name(p.get('schema')))}</td></tr>"
            for p in params
        )
        parts.append(
            '<table><caption>Parameters</caption><thead><tr><th scope="col">name</th><th scope="col">in</th>'
            f'<th scope="col">required</th><th scope="col">type</th></tr></thead><tbody>{rows}</tbody></table>'
        )
    body = (op.get("requestBody") or {}).get("content") or {}
    for media, content in body.items():
        parts.append(f"<p>Body: <code>{escape(media)}</code> {escape(_ref_name(content.get('schema')))}</p>")
    responses = op.get("responses") or {}
    if responses:
        items = "".join(
            f"<li><code>{escape(str(code))}</code> {escape(str(spec.get('description', '')))}</li>"
            for code, spec in sorted(responses.items())
        )
        parts.append(f"<p>Responses:</p><ul>{items}</ul>")
    parts.append("</section>")
    return "".join(parts)


class SchemaPage(OpenAPIRenderPlugin):
    """The reference page at ``/schema``; the JSON document stays at ``/schema/openapi.json``."""

    def __init__(self) -> None:
        super().__init__(path="/")

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        info = openapi_schema.get("info", {})
        title = escape(str(info.get("title", "API")))
        sections = []
        for path, item in sorted((openapi_schema.get("paths") or {}).items()):
            for method in _METHODS:
                if method in item:
                    sections.append(_operation(path, method, item[method]))
        html = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{title}: API reference</title><link rel="icon" href="data:,">'
            '<link rel="stylesheet" href="/static/web/site.css"></head><body><main id="main">'
            f"<h1>{title} {escape(str(info.get('version', '')))}</h1>"
            f"<p>{escape(str(info.get('description', '')))}</p>"
            f'<p>The OpenAPI document: <a href="{escape(self.get_openapi_json_route(request))}">openapi.json</a>.</p>'
            f"<h2>Operations</h2>{''.join(sections)}</main></body></html>"
        )
        return html.encode()
