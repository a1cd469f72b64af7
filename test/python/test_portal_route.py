"""The server route that forwards the portal's record API: allow-list, errors, authentication.

A real Jupyter server (a subprocess from .venv, with the installed server extension) forwards to a
stand-in portal on 127.0.0.1 that serves real fixture records, over http and over https (as the real
portal; the stand-in's test CA trusted through `OpenDataLab.ca_file`).
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from portal_standin import FAULTS, PortalStandIn, load_records, make_certificates

TOKEN = "opendata-lab-route-test"
ROUTE = "/opendata-lab/portal/api/records"
# Real records: derived CSV datasets of 2012 (record 5200 and others) and of 2011 (545, 5201…).
FIXTURE_FILES = ("cms-derived-csv-2012.json", "cms-derived-csv-Run2011A.json")
TIMEOUT = 1.0
MAX_BYTES = 2_000_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    return make_certificates(tmp_path_factory.mktemp("certs"))


@pytest.fixture(scope="module", params=["http", "https"])
def protocol(request):
    return request.param


@pytest.fixture(scope="module")
def portal(protocol, certs):
    certificate = (certs["server"], certs["server_key"]) if protocol == "https" else None
    with PortalStandIn(
        load_records(*FIXTURE_FILES), slow_seconds=TIMEOUT * 3, certificate=certificate
    ) as standin:
        yield standin


@contextmanager
def jupyter_server(root: Path, *options: str, env: dict | None = None):
    """A Jupyter server from .venv on a free port with the given OpenDataLab options; yields the port."""
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "jupyter_server",
            f"--ServerApp.port={port}", "--ServerApp.ip=127.0.0.1", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={TOKEN}", "--ServerApp.open_browser=False",
            f"--ServerApp.root_dir={root}", "--ServerApp.allow_root=True",
            *options,
        ],
        env=dict(env or os.environ, JUPYTER_CONFIG_DIR=str(root / ".config")),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.time() + 60
        while True:
            try:
                if get(port, "/api/status")[0] == 200:
                    break
            except OSError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                pytest.fail("jupyter server did not start:\n" + (proc.stdout.read() if proc.stdout else ""))
            time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        if proc.stdout:
            proc.stdout.close()


@pytest.fixture(scope="module")
def server(portal, certs, tmp_path_factory):
    # The test CA through the setting; the environment variable is checked separately.
    env = {k: v for k, v in os.environ.items() if k != "OPENDATA_LAB_CA_FILE"}
    with jupyter_server(
        tmp_path_factory.mktemp("root"),
        f"--OpenDataLab.portal_url={portal.url}", f"--OpenDataLab.timeout={TIMEOUT}",
        f"--OpenDataLab.max_response_bytes={MAX_BYTES}", f"--OpenDataLab.ca_file={certs['ca']}",
        env=env,
    ) as port:
        yield port


def get(port: int, path: str, token: str | None = TOKEN):
    """A raw GET: the path goes on the wire exactly as given (no client-side normalising)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"token {token}"} if token else {}
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, response.getheader("Content-Type", ""), body


def fresh(portal):
    portal.requests.clear()
    return portal


def test_the_extension_is_loaded_by_the_installed_server_config(server):
    status, _, body = get(server, "/api/me")
    assert status == 200, body


def test_a_record_is_forwarded_and_answered_as_the_portal_has_it(server, portal):
    fresh(portal)
    expected = load_records(FIXTURE_FILES[0])["5200"]
    status, content_type, body = get(server, f"{ROUTE}/5200")
    assert status == 200, body
    assert content_type.startswith("application/json")
    answer = json.loads(body)
    assert answer["id"] == 5200
    assert answer["metadata"]["title"] == expected["title"]
    assert answer["metadata"]["doi"] == expected["doi"]
    assert portal.requests == ["/api/records/5200"]


def test_jupyters_token_in_the_url_authenticates_and_is_not_forwarded(server, portal):
    fresh(portal)
    status, _, body = get(server, f"{ROUTE}/5200?token={TOKEN}", token=None)
    assert status == 200, body
    status, _, body = get(server, f"{ROUTE}/?q=dimuon&token={TOKEN}", token=None)
    assert status == 200, body
    assert portal.requests[0] == "/api/records/5200"
    assert all("token" not in r for r in portal.requests)


def test_a_search_forwards_only_the_portal_search_parameters(server, portal):
    fresh(portal)
    query = "q=dimuon&experiment=CMS&year=2011--2012&type=Dataset%3A%3ADerived&page=1&size=2&sort=mostrecent"
    status, _, body = get(server, f"{ROUTE}/?{query}")
    assert status == 200, body
    answer = json.loads(body)
    assert answer["hits"]["total"] == len(portal.records)
    assert len(answer["hits"]["hits"]) == 2
    assert len(portal.requests) == 1
    forwarded = portal.requests[0]
    assert forwarded.startswith("/api/records/?")
    assert sorted(forwarded.split("?", 1)[1].split("&")) == sorted(query.split("&"))


@pytest.mark.parametrize(
    "path",
    [
        f"{ROUTE}/5200/files",
        f"{ROUTE}/abc",
        f"{ROUTE}/-1",
        f"{ROUTE}/5200.json",
        f"{ROUTE}/../../api/contents",
        f"{ROUTE}/%2e%2e/%2e%2e/api/contents",
        f"{ROUTE}/5200%2F..%2F..%2Fadmin",
        f"{ROUTE}/%35%32%30%30",  # "5200" percent-encoded
        f"{ROUTE}//5200",
        f"{ROUTE}/5200/",
        f"{ROUTE}/http://example.org/api/records/1",
        f"{ROUTE}/http%3A%2F%2Fexample.org%2Fapi%2Frecords%2F1",
        f"{ROUTE}/12345678901",  # more digits than any recid
        "/opendata-lab/portal/eos/opendata/cms/Run2011A/x.root",
        "/opendata-lab/portal/api/files/5200",
        "/opendata-lab/portal/record/5200",
        "/opendata-lab/portal/",
        "/opendata-lab/portal/api/",
    ],
)
def test_paths_outside_the_allow_list_are_refused_without_reaching_the_portal(server, portal, path):
    fresh(portal)
    status, _, _ = get(server, path)
    # 302 only for a trailing slash: Jupyter redirects to the same path without it.
    assert status in (400, 404) or (status == 302 and path.endswith("/"))
    assert portal.requests == []


@pytest.mark.parametrize(
    "query",
    [
        "url=http://example.org/",
        "q=x&host=example.org",
        "q=x&redirect=http://example.org/",
        "format=json",
        f"q={'a' * 1001}",
        "&".join(["experiment=CMS"] * 51),
    ],
)
def test_other_query_parameters_are_refused_without_reaching_the_portal(server, portal, query):
    fresh(portal)
    status, content_type, body = get(server, f"{ROUTE}/?{query}")
    assert status == 400
    assert content_type.startswith("application/json")
    assert json.loads(body)["error"]
    assert portal.requests == []


@pytest.mark.parametrize("query", ["q=%ff", "q=caf%C3", "experiment=CMS&year=%80%80"])
def test_a_query_that_is_not_utf8_is_a_clear_400_not_a_server_error(server, portal, query):
    fresh(portal)
    status, content_type, body = get(server, f"{ROUTE}/?{query}")
    assert status == 400
    assert content_type.startswith("application/json")
    error = json.loads(body)["error"]
    assert "not valid UTF-8" in error and "query parameter" in error
    assert portal.requests == []


def test_a_record_request_takes_no_query(server, portal):
    fresh(portal)
    status, _, _ = get(server, f"{ROUTE}/5200?size=1")
    assert status == 400
    assert portal.requests == []


def test_a_host_header_or_absolute_request_target_cannot_change_the_upstream(server, portal):
    fresh(portal)
    conn = http.client.HTTPConnection("127.0.0.1", server, timeout=30)
    conn.putrequest("GET", f"http://example.org{ROUTE}/5200", skip_host=True)
    conn.putheader("Host", "example.org")
    conn.putheader("Authorization", f"token {TOKEN}")
    conn.endheaders()
    response = conn.getresponse()
    response.read()
    conn.close()
    # Whatever the server makes of it, only the configured portal may ever be asked.
    assert all(r == "/api/records/5200" for r in portal.requests)
    if response.status == 200:
        assert portal.requests == ["/api/records/5200"]


def test_requests_without_credentials_are_refused(server, portal):
    fresh(portal)
    status, _, _ = get(server, f"{ROUTE}/5200", token=None)
    assert status == 403
    status, _, _ = get(server, f"{ROUTE}/5200", token="wrong")
    assert status == 403
    assert portal.requests == []


def test_a_missing_record_is_a_json_404(server, portal):
    status, content_type, body = get(server, f"{ROUTE}/8999999")
    assert status == 404
    assert content_type.startswith("application/json")
    assert "no such record" in json.loads(body)["error"]


@pytest.mark.parametrize(
    "fault, status, words",
    [
        ("html", 502, "not JSON"),
        ("slow", 504, "did not answer"),
        ("huge", 502, "more than"),
        ("redirect", 502, "HTTP 302"),
        ("error", 502, "HTTP 500"),
    ],
)
def test_portal_faults_become_clear_json_errors(server, portal, fault, status, words):
    recid = next(r for r, f in FAULTS.items() if f == fault)
    fresh(portal)
    got, content_type, body = get(server, f"{ROUTE}/{recid}")
    assert got == status
    assert content_type.startswith("application/json")
    assert words in json.loads(body)["error"]
    # A redirect is not followed: the other host is never asked.
    assert portal.requests == [f"/api/records/{recid}"]


def test_an_unreachable_portal_is_a_clear_502(tmp_path):
    dead = free_port()  # nothing listens there
    with jupyter_server(tmp_path, f"--OpenDataLab.portal_url=http://127.0.0.1:{dead}") as port:
        status, content_type, body = get(port, f"{ROUTE}/5200")
    assert status == 502
    assert content_type.startswith("application/json")
    assert f"cannot reach the portal at 127.0.0.1:{dead}" in json.loads(body)["error"]


def test_a_wrong_certificate_is_a_clear_502_naming_the_host_at_once(tmp_path, certs):
    # An https portal whose certificate comes from a CA nobody trusts (the test CA is trusted).
    impostor = PortalStandIn(
        load_records(FIXTURE_FILES[0]), certificate=(certs["untrusted"], certs["untrusted_key"])
    )
    with impostor, jupyter_server(
        tmp_path, f"--OpenDataLab.portal_url={impostor.url}", f"--OpenDataLab.ca_file={certs['ca']}"
    ) as port:
        started = time.time()
        status, content_type, body = get(port, f"{ROUTE}/5200")
        elapsed = time.time() - started
    assert status == 502
    assert content_type.startswith("application/json")
    error = json.loads(body)["error"]
    host = impostor.url.split("//", 1)[1]
    assert f"certificate problem: the https certificate of the portal at {host} was not accepted" in error
    assert "OpenDataLab.ca_file" in error
    assert elapsed < 10  # the default timeout is 20 s: the refusal is not a wait
    assert impostor.requests == []


def test_the_ca_file_defaults_to_the_environment_variable_the_helpers_read(certs):
    code = (
        "from opendata_lab.portal_route import OpenDataLab\n"
        "c = OpenDataLab()\n"
        "print(c.ca_file)\n"
        "assert c.ssl_context() is not None\n"
    )
    env = dict(os.environ, OPENDATA_LAB_CA_FILE=str(certs["ca"]))
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(certs["ca"])


def test_a_portal_url_that_is_not_http_is_rejected_at_startup(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c",
         "from opendata_lab.portal_route import OpenDataLab; OpenDataLab(portal_url='file:///etc')"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode != 0
    assert "must be an http(s) URL" in result.stderr

