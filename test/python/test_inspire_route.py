"""The server route to INSPIRE's literature API: one path, one query form, nothing else on that host.

A real Jupyter server (from .venv, with the installed server extension) forwards to a stand-in INSPIRE
on 127.0.0.1 that answers literature searches in the REST API's shape (test/fixtures/inspire), over
http and over https (the stand-in's test CA trusted through `OpenDataLab.ca_file`).
"""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlsplit

import pytest

from portal_standin import PortalStandIn, make_certificates
from test_portal_route import TOKEN, get, jupyter_server

ROUTE = "/opendata-lab/inspire/api/literature"
DOI = "10.7483/OPENDATA.CMS.JKB8.RR42"  # record 5500's
FIELDS = "titles,control_number,authors.full_name,publication_info,arxiv_eprints"
HITS = json.loads(
    (Path(__file__).resolve().parents[1] / "fixtures" / "inspire" / "literature-hits.json").read_text("utf-8")
)
TIMEOUT = 1.0


def query(doi: str = DOI, **extra) -> str:
    pairs = {"q": f'references.reference.dois:"{doi}"', "size": "25", "sort": "mostrecent", "fields": FIELDS}
    pairs.update(extra)
    return "&".join(f"{k}={quote(v, safe='')}" for k, v in pairs.items() if v is not None)


class InspireStandIn(PortalStandIn):
    """INSPIRE's literature search: the hits of the fixture that cite the asked DOI, newest first."""

    def __init__(self, certificate=None):
        super().__init__({}, slow_seconds=TIMEOUT * 3, certificate=certificate)

    def answer(self, handler):
        parts = urlsplit(handler.path)
        params = dict(parse_qsl(parts.query))
        if parts.path == "/api/literature/slow":
            return  # never reached through the route: it has one path
        if parts.path != "/api/literature":
            self.send_json(handler, 404, {"status": 404, "message": "not found"})
            return
        doi = params.get("q", "").removeprefix('references.reference.dois:"').removesuffix('"')
        if doi == "10.1234/REDIRECT":
            handler.send_response(302)
            handler.send_header("Location", "http://example.org/api/literature")
            handler.end_headers()
            return
        if doi == "10.1234/ERROR":
            self.send(handler, 500, "text/plain", b"error")
            return
        if doi == "10.1234/HTML":
            self.send(handler, 200, "text/html", b"<html>maintenance</html>")
            return
        found = sorted(
            (h for h in HITS if doi.lower() in (c.lower() for c in h["cites"])),
            key=lambda h: h["created"],
            reverse=True,
        )
        size = int(params.get("size", "10"))
        hits = [{k: v for k, v in h.items() if k != "cites"} for h in found[:size]]
        self.send_json(handler, 200, {"hits": {"hits": hits, "total": len(found)}, "links": {}})


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    return make_certificates(tmp_path_factory.mktemp("certs"))


@pytest.fixture(scope="module", params=["http", "https"])
def inspire(request, certs):
    certificate = (certs["server"], certs["server_key"]) if request.param == "https" else None
    with InspireStandIn(certificate=certificate) as standin:
        yield standin


@pytest.fixture(scope="module")
def server(inspire, certs, tmp_path_factory):
    with jupyter_server(
        tmp_path_factory.mktemp("root"),
        f"--OpenDataLab.inspire_url={inspire.url}",
        f"--OpenDataLab.timeout={TIMEOUT}",
        f"--OpenDataLab.ca_file={certs['ca']}",
    ) as port:
        yield port


def fresh(standin):
    standin.requests.clear()
    return standin


def test_the_allowed_query_is_forwarded_and_answered_as_inspire_has_it(server, inspire):
    fresh(inspire)
    status, content_type, body = get(server, f"{ROUTE}?{query()}")
    assert status == 200, body
    assert content_type.startswith("application/json")
    answer = json.loads(body)
    citing = sorted((h for h in HITS if DOI in h["cites"]), key=lambda h: h["created"], reverse=True)
    assert answer["hits"]["total"] == len(citing)
    assert [h["metadata"]["control_number"] for h in answer["hits"]["hits"]] == [
        h["metadata"]["control_number"] for h in citing
    ]
    # Forwarded as the helpers build it: the fixed path and exactly these parameters, in order.
    assert len(inspire.requests) == 1
    asked = urlsplit(inspire.requests[0])
    assert asked.path == "/api/literature"
    assert parse_qsl(asked.query) == [
        ("q", f'references.reference.dois:"{DOI}"'),
        ("size", "25"),
        ("sort", "mostrecent"),
        ("fields", FIELDS),
    ]


def test_only_q_is_needed_and_the_field_list_is_always_sent(server, inspire):
    fresh(inspire)
    q = quote(f'references.reference.dois:"{DOI}"', safe="")
    status, _, body = get(server, f"{ROUTE}?q={q}")
    assert status == 200, body
    assert parse_qsl(urlsplit(inspire.requests[0]).query) == [
        ("q", f'references.reference.dois:"{DOI}"'),
        ("fields", FIELDS),
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/opendata-lab/inspire/api/authors",
        "/opendata-lab/inspire/api/literature/1593223",
        "/opendata-lab/inspire/api/literature/",
        "/opendata-lab/inspire/api/literature/../authors",
        "/opendata-lab/inspire/api/literature%2F..%2Fauthors",
        "/opendata-lab/inspire/api/literature%2Fslow",
        "/opendata-lab/inspire/api/",
        "/opendata-lab/inspire/literature",
        "/opendata-lab/inspire//api/literature",
        "/opendata-lab/inspire/api/literature/..%2F..%2Fapi%2Fjobs",
        "/opendata-lab/inspire/http://example.org/api/literature",
        "/opendata-lab/inspire/api/literature@example.org",
    ],
)
def test_every_other_path_is_refused_without_reaching_inspire(server, inspire, path):
    fresh(inspire)
    status, _, _ = get(server, f"{path}?{query()}")
    # 302: Jupyter's own redirect of a trailing slash to this server's path without it.
    assert status in (302, 400, 404), path
    assert inspire.requests == []


@pytest.mark.parametrize(
    "extra",
    [
        {"q": "title:higgs"},  # any other search
        {"q": f'references.reference.dois:"{DOI}" or title:higgs'},
        {"q": f'references.reference.dois:"{DOI}"" or "title:x'},
        {"q": 'references.reference.dois:"10.7483/has space"'},
        {"q": 'references.reference.dois:"10.7483/back\\slash"'},
        {"q": 'references.reference.dois:"not-a-doi"'},
        {"q": 'references.reference.dois:"10.7483/ü"'},
        {"q": 'references.reference.dois:"10.7483/' + "x" * 300 + '"'},
        {"q": None},
        {"size": "0"},
        {"size": "101"},
        {"size": "1e3"},
        {"size": "-1"},
        {"size": "٣"},  # a digit, but not ASCII
        {"sort": "mostcited desc"},
        {"fields": "titles,control_number,authors,email"},
        {"format": "bibtex"},
        {"page": "2"},
        {"url": "http://example.org"},
    ],
)
def test_other_queries_are_refused_without_reaching_inspire(server, inspire, extra):
    fresh(inspire)
    status, content_type, body = get(server, f"{ROUTE}?{query(**extra)}")
    assert status == 400, (extra, body)
    assert content_type.startswith("application/json")
    assert json.loads(body)["error"]
    assert inspire.requests == []


def test_a_parameter_given_twice_is_refused(server, inspire):
    fresh(inspire)
    status, _, _ = get(server, f"{ROUTE}?{query()}&q=title:higgs")
    assert status == 400
    assert inspire.requests == []


def test_a_host_header_or_absolute_request_target_cannot_change_the_upstream(server, inspire):
    fresh(inspire)
    conn = http.client.HTTPConnection("127.0.0.1", server, timeout=30)
    conn.putrequest("GET", f"http://example.org{ROUTE}?{query()}", skip_host=True)
    conn.putheader("Host", "example.org")
    conn.putheader("Authorization", f"token {TOKEN}")
    conn.endheaders()
    response = conn.getresponse()
    response.read()
    conn.close()
    assert all(urlsplit(r).path == "/api/literature" for r in inspire.requests)


def test_requests_without_credentials_are_refused(server, inspire):
    fresh(inspire)
    status, _, _ = get(server, f"{ROUTE}?{query()}", token=None)
    assert status == 403
    assert inspire.requests == []


@pytest.mark.parametrize(
    "doi, status, words",
    [
        ("10.1234/REDIRECT", 502, "answered HTTP 302"),
        ("10.1234/ERROR", 502, "answered HTTP 500"),
        ("10.1234/HTML", 502, "not JSON"),
    ],
)
def test_inspire_faults_become_clear_json_errors(server, inspire, doi, status, words):
    code, _, body = get(server, f"{ROUTE}?{query(doi)}")
    assert code == status
    error = json.loads(body)["error"]
    assert words in error and error.startswith("INSPIRE at 127.0.0.1:")


def test_an_unreachable_inspire_is_a_clear_502_and_the_portal_route_still_answers(tmp_path):
    with jupyter_server(tmp_path, "--OpenDataLab.inspire_url=http://127.0.0.1:9") as port:
        status, _, body = get(port, f"{ROUTE}?{query()}")
        assert status == 502
        assert json.loads(body)["error"].startswith("cannot reach INSPIRE at 127.0.0.1:9")


def test_the_default_is_inspirehep_and_a_url_that_is_not_http_is_rejected():
    script = (
        "from opendata_lab.portal_route import OpenDataLab\n"
        "print(OpenDataLab().inspire_url)\n"
        "try:\n"
        "    OpenDataLab(inspire_url='file:///etc/passwd')\n"
        "except Exception as e:\n"
        "    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()
    assert lines[0] == "https://inspirehep.net"
    assert "OpenDataLab.inspire_url must be an http(s) URL" in lines[1]
