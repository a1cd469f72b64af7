"""The TypeScript kernel the wheel ships: Deno's Jupyter kernel with the helpers bundled for it.

The kernelspec (share/jupyter/kernels/opendata-lab-deno, written by scripts/release.mjs) runs
`python -m opendata_lab.kernel --conn {connection_file}`; Jupyter puts its own interpreter for
`python`, so this finds the `deno` binary that the `deno` wheel (a dependency) installed next to it
and the helpers bundled in <prefix>/share/opendata-lab/kernel-helpers, with no Node or npm at all.

`deno jupyter` takes no import map or config option (it reads only a deno.json in the notebook's
folder), so a bare `@opendata-lab/kernel-helpers` cannot resolve in any folder. The kernel gets the
bundle's file URL in $OPENDATA_LAB_HELPERS instead, for `await import(Deno.env.get(...))`.
"""

from __future__ import annotations

import argparse
import os
import site
import subprocess
import sys
from pathlib import Path

HELPERS_ENV = "OPENDATA_LAB_HELPERS"
BUNDLE = Path("share", "opendata-lab", "kernel-helpers", "bundle", "index.cjs")


def helpers_bundle() -> Path:
    """The helpers bundled for Deno in this environment (a venv, conda, system or --user install)."""
    prefixes = [sys.prefix, site.getuserbase()]
    for prefix in prefixes:
        candidate = Path(prefix) / BUNDLE
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(
        f"the opendata-lab TypeScript kernel's helpers are not installed ({BUNDLE} under "
        f"{' or '.join(prefixes)}); reinstall: pip install --force-reinstall opendata-lab"
    )


def deno_binary() -> str:
    try:
        from deno import find_deno_bin
    except ImportError as error:
        raise SystemExit(f"the TypeScript kernel needs the `deno` package: pip install deno ({error})")
    return os.fsdecode(find_deno_bin())


def kernel_env(base: dict[str, str]) -> dict[str, str]:
    env = dict(base)
    env.setdefault(HELPERS_ENV, helpers_bundle().as_uri())
    # As the development kernel (scripts/install-kernel.mjs): no update check, plain tracebacks.
    env.setdefault("DENO_NO_UPDATE_CHECK", "1")
    env.setdefault("NO_COLOR", "1")
    return env


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m opendata_lab.kernel", description=__doc__.splitlines()[0])
    parser.add_argument("--conn", required=True, help="the connection file Jupyter passes")
    args = parser.parse_args(argv)
    deno = deno_binary()
    command = [deno, "jupyter", "--kernel", "--conn", args.conn]
    env = kernel_env(dict(os.environ))
    if sys.platform == "win32":
        # No exec on Windows: wait for Deno and hand on its exit code.
        sys.exit(subprocess.run(command, env=env).returncode)
    # Deno becomes the kernel process, so Jupyter's interrupts (SIGINT) and restarts reach it.
    os.execve(deno, command, env)


if __name__ == "__main__":
    main()
