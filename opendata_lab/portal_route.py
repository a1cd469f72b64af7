"""A server route that forwards the portal's record search and record API to the configured portal.

The browser cannot call the portal itself (no CORS), so the Jupyter server fetches for it. This is
never an open proxy: the host comes from the server's configuration only, the browser picks one of
two path forms (`records/` and `records/<digits>`), query parameters are limited to the portal's
search parameters, and only JSON answers of bounded size come back.

A second route does the same for INSPIRE's literature API (the papers citing a dataset): one
fixed path (`/api/literature`), one query form (`references.reference.dois:"<DOI>"`, the DOI checked
as one), a bounded size, one sort and one field list; nothing else on that host.
"""

from __future__ import annotations

import json
import os
import re
import ssl
from urllib.parse import urlencode, urlsplit

import tornado.web
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join
from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest
from tornado.simple_httpclient import HTTPTimeoutError
from traitlets import Float, Int, Unicode, default, validate
from traitlets.config import Configurable

ROUTE = "opendata-lab/portal/api/records"

# The portal's search parameters (docs/portal.md): paging, sorting, the facet filters, and the flags.
SEARCH_PARAMS = frozenset(
    {
        "q",
        "page",
        "size",
        "sort",
        "skip_files",
        "ondemand",
        "experiment",
        "type",
        "year",
        "number_events",
        "file_type",
        "collision_energy",
        "collision_type",
        "keywords",
        "category",
    }
)
MAX_VALUE_LENGTH = 1000
MAX_VALUES = 50
INSPIRE_ROUTE = "opendata-lab/inspire/api/literature"
# The one query the extension asks INSPIRE (kernel-helpers/src/core/inspire.ts builds the same).
INSPIRE_FIELDS = "titles,control_number,authors.full_name,publication_info,arxiv_eprints"
INSPIRE_MAX_SIZE = 100
INSPIRE_SORTS = frozenset({"mostrecent", "mostcited"})
# A DOI inside a quoted query term: printable ASCII without space, quote or backslash.
DOI = re.compile(r"10\.[0-9]{4,9}/[!#-\[\]-~]{1,190}", re.ASCII)
INSPIRE_QUERY = re.compile(r'references\.reference\.dois:"([^"]*)"', re.ASCII)
JSON_TYPE = re.compile(r"^application/(?:[\w.+-]+\+)?json\s*(?:;.*)?$", re.IGNORECASE)
# The same variable the kernel helpers read: one setting for the route, the CLI and notebooks.
CA_FILE_ENV = "OPENDATA_LAB_CA_FILE"


class OpenDataLab(Configurable):
    """Settings of the opendata-lab server extension (`c.OpenDataLab.portal_url = ...`)."""

    portal_url = Unicode(
        "https://opendata.cern.ch",
        help="The CERN Open Data portal the record API route forwards to (scheme and host only).",
    ).tag(config=True)

    inspire_url = Unicode(
        "https://inspirehep.net",
        help="INSPIRE, which the literature route forwards to (scheme and host only).",
    ).tag(config=True)

    timeout = Float(20.0, help="Seconds before a portal request is given up (504).").tag(config=True)

    max_response_bytes = Int(
        64 * 1024 * 1024, help="Largest portal answer passed on; a larger one is refused (502)."
    ).tag(config=True)

    ca_file = Unicode(
        help=(
            "A PEM file of certificate authorities trusted for an https portal, on top of the system's "
            f"(e.g. a TLS-inspecting proxy's CA). Default: ${CA_FILE_ENV}, as for the kernel helpers."
        ),
    ).tag(config=True)

    @default("ca_file")
    def _ca_file_from_env(self):
        return os.environ.get(CA_FILE_ENV, "")

    _ssl_context: tuple[str, ssl.SSLContext] | None = None

    def ssl_context(self) -> ssl.SSLContext | None:
        """The system's CAs plus `ca_file`'s (None when unset: tornado's defaults). OSError if unreadable."""
        if not self.ca_file:
            return None
        if self._ssl_context is None or self._ssl_context[0] != self.ca_file:
            context = ssl.create_default_context()
            context.load_verify_locations(cafile=self.ca_file)
            self._ssl_context = (self.ca_file, context)
        return self._ssl_context[1]

    @validate("portal_url", "inspire_url")
    def _check_portal_url(self, proposal):
        name = proposal["trait"].name
        parts = urlsplit(proposal["value"])
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"OpenDataLab.{name} must be an http(s) URL, got {proposal['value']!r}")
        if parts.query or parts.fragment or parts.username or parts.password:
            raise ValueError(f"OpenDataLab.{name} must be a plain base URL, got {proposal['value']!r}")
        return proposal["value"].rstrip("/")


class PortalRecordsHandler(APIHandler):
    """`GET .../opendata-lab/portal/api/records/` (search) and `.../records/<recid>` (one record)."""

    service = "the portal"

    def initialize(self, config: OpenDataLab):
        self.portal = config

    def upstream_url(self) -> str:
        return self.portal.portal_url

    def write_error(self, status_code, **kwargs):
        # Always JSON, with the reason we gave (APIHandler would add a traceback in debug mode).
        self.set_header("Content-Type", "application/json")
        reason = kwargs.get("exc_info", (None, None))[1]
        message = getattr(reason, "log_message", None) or self._reason
        self.finish(json.dumps({"error": message, "status": status_code}))

    def _refuse(self, status: int, message: str):
        raise tornado.web.HTTPError(status, message)

    def _check_path(self):
        # The route regexes only match digits, but the raw path is checked too: no encoded
        # characters, dot segments or doubled slashes may reach the portal in any form.
        path = self.request.path
        if "%" in path or "/." in path or "//" in path or "\\" in path:
            self._refuse(400, "path not allowed")

    def _portal_arguments(self) -> dict:
        # `token` is Jupyter's own credential (consumed by the server's auth): never forwarded.
        return {k: v for k, v in self.request.query_arguments.items() if k != "token"}

    def _search_query(self) -> str:
        pairs = []
        for name, values in self._portal_arguments().items():
            if name not in SEARCH_PARAMS:
                self._refuse(400, f"query parameter {name!r} is not a portal search parameter")
            for raw in values:
                try:
                    value = raw.decode("utf-8", "strict")
                except UnicodeDecodeError as error:
                    # e.g. `?q=%ff`: a client error, not a server fault (and no traceback in the log).
                    self._refuse(
                        400,
                        f"query parameter {name!r} is not valid UTF-8 "
                        f"(byte 0x{raw[error.start]:02x} at position {error.start})",
                    )
                if len(value) > MAX_VALUE_LENGTH:
                    self._refuse(400, f"query parameter {name!r} is longer than {MAX_VALUE_LENGTH} characters")
                pairs.append((name, value))
        if len(pairs) > MAX_VALUES:
            self._refuse(400, f"more than {MAX_VALUES} query parameters")
        return urlencode(pairs)

    @tornado.web.authenticated
    async def get(self, recid: str | None = None):
        self._check_path()
        if recid is None:
            query = self._search_query()
            url = f"{self.portal.portal_url}/api/records/" + (f"?{query}" if query else "")
        else:
            if self._portal_arguments():
                self._refuse(400, "a record request takes no query parameters")
            url = f"{self.portal.portal_url}/api/records/{int(recid)}"
        await self._forward(url)

    async def _forward(self, url: str):
        limit = self.portal.max_response_bytes
        chunks: list[bytes] = []
        declared: list[int] = []

        def on_header(line: str):
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length" and value.strip().isdigit():
                declared.append(int(value))

        where = urlsplit(self.upstream_url()).netloc
        service = self.service
        try:
            context = self.portal.ssl_context() if url.startswith("https:") else None
        except (OSError, ssl.SSLError) as error:
            self._refuse(
                500, f"OpenDataLab.ca_file={self.portal.ca_file}: cannot load the certificate file ({error})"
            )
        request = HTTPRequest(
            url,
            ssl_options=context,
            method="GET",
            headers={"Accept": "application/json"},
            connect_timeout=self.portal.timeout,
            request_timeout=self.portal.timeout,
            follow_redirects=False,  # a redirect could name another host
            header_callback=on_header,
            streaming_callback=chunks.append,
        )
        # Its own client: max_body_size makes tornado drop a longer answer before buffering it.
        client = AsyncHTTPClient(force_instance=True, max_body_size=limit)
        try:
            response = await client.fetch(request, raise_error=False)
        except HTTPTimeoutError:
            self._refuse(504, f"{service} at {where} did not answer within {self.portal.timeout:g} s")
        except HTTPClientError as error:
            if declared and declared[-1] > limit:
                self._refuse(502, f"{service} at {where} answered more than {limit} bytes")
            self._refuse(502, f"{service} at {where} failed: {error}")
        except ssl.SSLCertVerificationError as error:
            self._refuse(
                502,
                f"certificate problem: the https certificate of {service} at {where} was not accepted "
                f"({error.verify_message}). If a proxy or firewall inspects https traffic, set "
                f"c.OpenDataLab.ca_file (or {CA_FILE_ENV}) to its CA certificate file (PEM)",
            )
        except ssl.SSLError as error:
            self._refuse(502, f"TLS handshake with {service} at {where} failed ({error.reason or error})")
        except OSError as error:
            self._refuse(502, f"cannot reach {service} at {where}: {error.strerror or error}")
        finally:
            client.close()
        if response.code == 404 and service == "the portal":
            self._refuse(404, "the portal has no such record")
        if response.code != 200:
            self._refuse(502, f"{service} at {where} answered HTTP {response.code}")
        content_type = response.headers.get("Content-Type", "")
        if not JSON_TYPE.match(content_type):
            self._refuse(502, f"{service} at {where} answered {content_type or 'no content type'}, not JSON")
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.finish(b"".join(chunks))


class InspireLiteratureHandler(PortalRecordsHandler):
    """`GET .../opendata-lab/inspire/api/literature?q=references.reference.dois:"<doi>"`.

    Also `size` (1-100), `sort` and `fields` (the one list), each at most once; nothing else.
    """

    service = "INSPIRE"

    def upstream_url(self) -> str:
        return self.portal.inspire_url

    def _one(self, arguments: dict, name: str) -> str | None:
        values = arguments.pop(name, [])
        if len(values) > 1:
            self._refuse(400, f"query parameter {name!r} given more than once")
        if not values:
            return None
        try:
            return values[0].decode("utf-8", "strict")
        except UnicodeDecodeError:
            self._refuse(400, f"query parameter {name!r} is not valid UTF-8")

    def _literature_query(self) -> str:
        arguments = dict(self._portal_arguments())
        q = self._one(arguments, "q")
        size = self._one(arguments, "size")
        sort = self._one(arguments, "sort")
        fields = self._one(arguments, "fields")
        if arguments:
            self._refuse(400, f"query parameter {sorted(arguments)[0]!r} is not allowed for INSPIRE")
        match = INSPIRE_QUERY.fullmatch(q or "")
        if not match:
            self._refuse(400, 'q must be references.reference.dois:"<DOI>"')
        if not DOI.fullmatch(match.group(1)):
            self._refuse(400, f"not a DOI: {match.group(1)[:80]!r}")
        pairs = [("q", q)]
        if size is not None:
            if not size.isascii() or not size.isdigit() or not 1 <= int(size) <= INSPIRE_MAX_SIZE:
                self._refuse(400, f"size must be a number from 1 to {INSPIRE_MAX_SIZE}")
            pairs.append(("size", str(int(size))))
        if sort is not None:
            if sort not in INSPIRE_SORTS:
                self._refuse(400, f"sort must be one of {', '.join(sorted(INSPIRE_SORTS))}")
            pairs.append(("sort", sort))
        if fields is not None and fields != INSPIRE_FIELDS:
            self._refuse(400, f"fields must be {INSPIRE_FIELDS}")
        pairs.append(("fields", INSPIRE_FIELDS))
        return urlencode(pairs)

    @tornado.web.authenticated
    async def get(self):
        self._check_path()
        await self._forward(f"{self.portal.inspire_url}/api/literature?{self._literature_query()}")


def setup_handlers(serverapp) -> OpenDataLab:
    config = OpenDataLab(parent=serverapp)
    base = url_path_join(serverapp.web_app.settings["base_url"], ROUTE)
    serverapp.web_app.add_handlers(
        ".*$",
        [
            (base + r"/?", PortalRecordsHandler, {"config": config}),
            (base + r"/([0-9]{1,10})", PortalRecordsHandler, {"config": config}),
            (
                url_path_join(serverapp.web_app.settings["base_url"], INSPIRE_ROUTE),
                InspireLiteratureHandler,
                {"config": config},
            ),
        ],
    )
    return config
