"""Binder's recipe (binder/), replayed here: what repo2docker makes of the folder, and the recipe run
in a fresh virtual environment.

repo2docker 2026.4.0 installs binder/requirements.txt into its base environment (which already has
Node 20 and npm) and runs binder/postBuild in the repository. The replay does the same from a copy
of the repository's tracked files (what a clone holds, with this checkout's edits; no node_modules,
no build): `python -m venv`, `pip install -r binder/requirements.txt`, `binder/postBuild` (its own
`npm ci` with npm's cache, the production build, the extension installed, tslab registered). Then
`jupyter labextension list` and the kernelspecs must show the extension and tslab, and that
JupyterLab, started on the copy, must run tutorial 01 in a tslab kernel it starts itself (through
its REST API and kernel websocket, as the browser does). 5-6 minutes with pip's and npm's caches
on two cores shared with other work (pip 60-110 s, postBuild 110-150 s: npm ci and the production
build); skipped without PyPI or npm.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
OFFLINE = ("NewConnectionError", "No matching distribution", "ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED",
           "Temporary failure in name resolution")


def copy_tracked_files(target: Path) -> Path:
    """The working tree without what git ignores (node_modules, builds, .venv): in CI, a clean clone;
    here, also files other work has not committed yet, which tracked files may already import."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():  # a tracked file deleted in the working tree is not in a clone
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def clean_env(tmp_path: Path, venv: Path | None = None) -> dict[str, str]:
    """No Jupyter, venv or npm settings of this checkout; this checkout's tools off PATH."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("JUPYTER", "VIRTUAL_ENV", "OPENDATA_LAB", "npm_", "PYTHONPATH"))}
    path = [p for p in env["PATH"].split(os.pathsep) if not Path(p).resolve().is_relative_to(ROOT)]
    if venv is not None:
        path.insert(0, str(venv / "bin"))
        env["VIRTUAL_ENV"] = str(venv)
    env["PATH"] = os.pathsep.join(path)
    # A fresh home (no ~/.local/share/jupyter kernels from elsewhere), with pip's and npm's caches.
    env["PIP_CACHE_DIR"] = os.environ.get("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip"))
    env["npm_config_cache"] = os.environ.get("npm_config_cache", str(Path.home() / ".npm"))
    env["npm_config_prefer_offline"] = "true"
    env["PIP_NO_COMPILE"] = "1"  # no .pyc for thousands of files nobody imports here
    env["HOME"] = str(tmp_path / "home")
    return env


def run(args, cwd: Path, env: dict[str, str], timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run(list(map(str, args)), cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def skip_when_offline(result: subprocess.CompletedProcess, what: str) -> None:
    if result.returncode != 0 and any(s in result.stdout + result.stderr for s in OFFLINE):
        pytest.skip(f"{what} cannot be reached: {(result.stdout + result.stderr)[-300:]}")


# --- what repo2docker makes of binder/ -----------------------------------------------------------

def test_repo2docker_writes_a_dockerfile_for_the_binder_folder(tmp_path):
    """`jupyter-repo2docker --no-build` (requirements-dev.txt) accepts binder/: pip, then postBuild."""
    r2d = Path(sys.executable).parent / "jupyter-repo2docker"
    if not r2d.exists():
        pytest.skip("jupyter-repo2docker is not installed (requirements-dev.txt)")
    repo = copy_tracked_files(tmp_path / "repo")
    result = run([r2d, "--no-build", "--debug", "--no-run", "--user-id", "1000", "--user-name", "jovyan", repo],
                 tmp_path, {**os.environ, "HOME": str(tmp_path)}, timeout=120)
    assert result.returncode == 0, result.stderr
    dockerfile = result.stdout + result.stderr
    assert "FROM docker.io/library/buildpack-deps" in dockerfile
    # The Python buildpack: requirements.txt into the base environment, then postBuild.
    pip_line = dockerfile.index('${KERNEL_PYTHON_PREFIX}/bin/pip install --no-cache-dir -r "binder/requirements.txt"')
    post_build = dockerfile.index("RUN ./binder/postBuild")
    assert pip_line < post_build
    assert "environment.yml" not in dockerfile.replace("conda/environment", "")  # one recipe, not conda's
    # Python 3.11 (runtime.txt), from a base environment lock that carries Node 20 for postBuild.
    lock = re.search(r"buildpacks-2fconda-2fenvironment-2epy-2d(\d+)-2e(\d+)-2dlinux-2d64-2elock", dockerfile)
    assert lock and lock.groups() == ("3", "11"), "the base environment is not Python 3.11's"
    import repo2docker

    locked = (Path(repo2docker.__file__).parent / "buildpacks" / "conda" / "environment.py-3.11-linux-64.lock")
    assert re.search(r"/nodejs-20\.\d+\.\d+-", locked.read_text())


# --- the tutorials' index, where Binder opens --------------------------------------------------

def test_the_index_links_every_tutorial_and_the_readme_badge_opens_it():
    index = nbformat.read(ROOT / "notebooks" / "00-index.ipynb", as_version=4)
    text = "".join(c.source for c in index.cells if c.cell_type == "markdown")
    linked = set(re.findall(r"\]\(([^)]+\.ipynb)\)", text))
    tutorials = {p.name for p in (ROOT / "notebooks").glob("*.ipynb")} - {"00-index.ipynb"}
    assert linked == tutorials
    for name in tutorials:  # each link's title is the tutorial's own heading
        heading = nbformat.read(ROOT / "notebooks" / name, as_version=4).cells[0].source.splitlines()[0]
        assert f"[{heading.lstrip('# ')}]({name})" in text, name
    badge = re.search(r"\[!\[[^]]*\]\(https://mybinder\.org/badge_logo\.svg\)\]\(([^)]+)\)",
                      (ROOT / "README.md").read_text())
    assert badge, "no Binder badge in README.md"
    assert badge.group(1).endswith("?urlpath=lab%2Ftree%2Fnotebooks%2F00-index.ipynb")


# --- the recipe, replayed in a fresh venv ----------------------------------------------------------

@pytest.fixture(scope="module")
def replayed(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("binder")
    repo = copy_tracked_files(tmp / "repo")
    venv = tmp / "venv"
    (tmp / "home").mkdir()
    env = clean_env(tmp)
    times = {}
    start = time.monotonic()
    made = run([shutil.which("python3", path=env["PATH"]) or "python3", "-m", "venv", venv], tmp, env)
    assert made.returncode == 0, made.stderr
    env = clean_env(tmp, venv)
    pip = run([venv / "bin" / "python", "-m", "pip", "install", "-q", "-r", "binder/requirements.txt"], repo, env)
    skip_when_offline(pip, "PyPI")
    assert pip.returncode == 0, pip.stderr
    times["pip install -r binder/requirements.txt"] = time.monotonic() - start
    start = time.monotonic()
    post = run(["bash", "binder/postBuild"], repo, env, timeout=1800)
    skip_when_offline(post, "the npm registry")
    assert post.returncode == 0, post.stdout[-3000:] + post.stderr[-5000:]
    times["binder/postBuild"] = time.monotonic() - start
    print("binder replay: " + ", ".join(f"{k} {v:.0f} s" for k, v in times.items()))
    return {"repo": repo, "venv": venv, "env": env, "tmp": tmp}


def test_replay_installs_the_production_extension(replayed):
    venv, env = replayed["venv"], replayed["env"]
    listed = run([venv / "bin" / "jupyter", "labextension", "list"], replayed["tmp"], env)
    assert re.search(r"opendata-lab v\S+ \S*enabled\S* \S*OK\S* \(python, opendata_lab\)", listed.stderr), listed.stderr
    installed = next((venv / "share" / "jupyter" / "labextensions").glob("opendata-lab"))
    assert (installed / "production.txt").exists()
    assert not list(installed.rglob("*.map")), "a development build was installed"
    servers = run([venv / "bin" / "jupyter", "server", "extension", "list"], replayed["tmp"], env)
    assert re.search(r"opendata_lab \S*enabled", servers.stdout + servers.stderr)


def test_replay_registers_tslab_with_the_copys_own_tslab(replayed):
    venv, env, repo = replayed["venv"], replayed["env"], replayed["repo"]
    specs = json.loads(run([venv / "bin" / "jupyter", "kernelspec", "list", "--json"], replayed["tmp"], env).stdout)
    tslab = specs["kernelspecs"]["tslab"]
    assert Path(tslab["resource_dir"]) == venv / "share" / "jupyter" / "kernels" / "tslab"
    argv = tslab["spec"]["argv"]
    assert Path(argv[1]) == repo / "node_modules" / "tslab" / "bin" / "tslab"
    assert Path(argv[0]).exists() and "{connection_file}" in argv
    assert "python3" in specs["kernelspecs"]  # ipykernel, for tutorial 07


async def execute_over_websocket(url: str, cells: list[str]) -> list[list[dict]]:
    """Each cell's outputs (stream, display_data, execute_result, error), as JupyterLab receives them."""
    from tornado.websocket import websocket_connect

    socket_ = await websocket_connect(url)
    session = uuid.uuid4().hex
    outputs = []
    try:
        for code in cells:
            msg_id = uuid.uuid4().hex
            socket_.write_message(json.dumps({
                "header": {"msg_id": msg_id, "msg_type": "execute_request", "session": session,
                           "username": "test", "date": "", "version": "5.3"},
                "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                "content": {"code": code, "silent": False, "store_history": True,
                            "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
            }))
            got, replied, idle = [], False, False
            while not (replied and idle):
                raw = await asyncio.wait_for(socket_.read_message(), timeout=180)
                assert raw is not None, "the kernel's websocket closed"
                msg = json.loads(raw)
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind = msg["header"]["msg_type"]
                if kind in ("stream", "display_data", "execute_result", "error"):
                    got.append({"type": kind, **msg["content"]})
                replied |= kind == "execute_reply"
                idle |= kind == "status" and msg["content"]["execution_state"] == "idle"
            outputs.append(got)
    finally:
        socket_.close()
    return outputs


def test_replayed_jupyterlab_runs_a_tutorial_in_its_tslab_kernel(replayed):
    venv, env, repo = replayed["venv"], replayed["env"], replayed["repo"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([str(venv / "bin" / "jupyter"), "lab", "--no-browser", f"--port={port}",
                               "--ServerApp.token=t", "--allow-root", f"--ServerApp.root_dir={repo}"],
                              cwd=repo, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"

    def api(path: str, body: dict | None = None) -> dict | str:
        request = urllib.request.Request(f"{base}{path}", method="POST" if body is not None else "GET",
                                         data=json.dumps(body).encode() if body is not None else None,
                                         headers={"Authorization": "token t", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            text = answer.read().decode()
        return json.loads(text) if answer.headers.get_content_type() == "application/json" else text

    try:
        for _ in range(240):
            try:
                page = api("/lab/tree/notebooks/00-index.ipynb")
                break
            except OSError:
                assert server.poll() is None, server.stderr.read()
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start")
        # The page lists the extension among its federated extensions; the kernelspecs list tslab.
        config = json.loads(re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
                                      page, re.S).group(1))
        assert "opendata-lab" in [e["name"] for e in config["federated_extensions"]]
        assert "tslab" in api("/api/kernelspecs")["kernelspecs"]

        name = "01-zmumu-mass.ipynb"
        session = api("/api/sessions", {"path": f"notebooks/{name}", "type": "notebook", "name": name,
                                         "kernel": {"name": "tslab"}})
        nb = nbformat.read(repo / "notebooks" / name, as_version=4)
        code = [c.source for c in nb.cells if c.cell_type == "code"]
        url = f"ws://127.0.0.1:{port}/api/kernels/{session['kernel']['id']}/channels?token=t"
        outputs = asyncio.run(execute_over_websocket(url, code))
    finally:
        server.terminate()
        server.wait(timeout=30)

    every = [o for cell in outputs for o in cell]
    assert not [o for o in every if o["type"] == "error" or o.get("name") == "stderr"], every
    printed = "".join(o["text"] for o in every if o["type"] == "stream")
    with open(DATA / "events" / "Zmumu.csv") as f:
        masses = [float(row.split(",")[header.index("M")]) for header in [f.readline().strip().split(",")]
                  for row in f if row.strip()]
    assert f"{len(masses)} pairs; columns:" in printed
    below, above = sum(m < 60 for m in masses), sum(m >= 120 for m in masses)
    assert f"{len(masses)} entries: {below} below 60 GeV, {above} from 120 GeV up" in printed
    assert any("application/vnd.plotly.v1+json" in o.get("data", {}) for o in every)
