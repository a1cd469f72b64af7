"""opendata_lab.kernel, the wheel's TypeScript kernel launcher, without starting Deno: which binary,
arguments and environment it hands on (the real kernel runs in test_release.py)."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from opendata_lab import kernel


@pytest.fixture
def prefix(tmp_path, monkeypatch):
    """An environment whose share/ holds the bundle, as the wheel installs it."""
    bundle = tmp_path / "share" / "opendata-lab" / "kernel-helpers" / "bundle" / "index.cjs"
    bundle.parent.mkdir(parents=True)
    bundle.write_text("module.exports = {};\n")
    monkeypatch.setattr(sys, "prefix", str(tmp_path))
    monkeypatch.setattr(kernel.site, "getuserbase", lambda: str(tmp_path / "user"))
    fake_deno = types.ModuleType("deno")
    fake_deno.find_deno_bin = lambda: str(tmp_path / "bin" / "deno")
    monkeypatch.setitem(sys.modules, "deno", fake_deno)
    return tmp_path


def test_execs_deno_jupyter_with_the_bundle_url(prefix, monkeypatch):
    calls = []
    monkeypatch.setattr(kernel.os, "execve", lambda *args: calls.append(args))
    monkeypatch.setattr(kernel.sys, "platform", "linux")
    monkeypatch.delenv(kernel.HELPERS_ENV, raising=False)
    monkeypatch.setenv("NO_COLOR", "")  # the user's own value stays
    kernel.main(["--conn", "/run/kernel-1.json"])
    [(binary, argv, env)] = calls
    assert binary == str(prefix / "bin" / "deno")
    assert argv == [binary, "jupyter", "--kernel", "--conn", "/run/kernel-1.json"]
    bundle = prefix / "share" / "opendata-lab" / "kernel-helpers" / "bundle" / "index.cjs"
    assert env[kernel.HELPERS_ENV] == bundle.as_uri() and env[kernel.HELPERS_ENV].startswith("file:///")
    assert env["DENO_NO_UPDATE_CHECK"] == "1" and env["NO_COLOR"] == ""


def test_a_set_helpers_variable_wins(prefix, monkeypatch):
    monkeypatch.setenv(kernel.HELPERS_ENV, "file:///elsewhere/index.cjs")
    assert kernel.kernel_env(dict(kernel.os.environ))[kernel.HELPERS_ENV] == "file:///elsewhere/index.cjs"


def test_user_install_is_found(prefix, monkeypatch):
    user = prefix / "user"
    (user / kernel.BUNDLE).parent.mkdir(parents=True)
    (user / kernel.BUNDLE).write_text("")
    (prefix / kernel.BUNDLE).unlink()
    assert kernel.helpers_bundle() == user / kernel.BUNDLE


def test_missing_bundle_says_where_it_looked_and_what_to_do(prefix):
    (prefix / kernel.BUNDLE).unlink()
    with pytest.raises(FileNotFoundError) as error:
        kernel.helpers_bundle()
    message = str(error.value)
    assert str(prefix) in message and "pip install --force-reinstall opendata-lab" in message


def test_missing_deno_package_names_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "deno", None)  # import fails
    with pytest.raises(SystemExit, match="pip install deno"):
        kernel.deno_binary()


def test_kernelspec_runs_this_module():
    """The kernelspec the release writes starts `python -m opendata_lab.kernel` (Jupyter puts its own
    interpreter for `python`), and the module runs main() then."""
    release = (Path(__file__).resolve().parents[2] / "scripts" / "release.mjs").read_text()
    assert "argv: ['python', '-m', 'opendata_lab.kernel', '--conn', '{connection_file}']" in release
    source = Path(kernel.__file__).read_text()
    assert 'if __name__ == "__main__":\n    main()' in source
