"""Jupyter server for the UI tests: galata's test settings, rooted inside the repository.

The root is build/ui-root so that notebooks the tests create resolve `@opendata-lab/kernel-helpers`
from the repository's node_modules, as a user's notebook in this checkout does.
"""

import os
from pathlib import Path

from jupyterlab.galata import configure_jupyter_server

root = Path(__file__).resolve().parents[2] / "build" / "ui-root"
root.mkdir(parents=True, exist_ok=True)
os.environ.setdefault("JUPYTERLAB_GALATA_ROOT_DIR", str(root))

configure_jupyter_server(c)  # noqa: F821 - `c` is the config object Jupyter passes in

c.ServerApp.port = int(os.environ.get("OPENDATA_LAB_UI_PORT", "8888"))
c.ServerApp.allow_root = True  # CI containers run as root
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"
c.ServerApp.log_level = "WARN"
# The opendata-lab server extension (portal record API route), pointed at a port where nothing
# listens: the UI tests run offline and check the panel falls back to the bundled snapshot.
c.ServerApp.jpserver_extensions.update({"opendata_lab": True})
c.OpenDataLab.portal_url = "http://127.0.0.1:9"
c.OpenDataLab.timeout = 2.0
