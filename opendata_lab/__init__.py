"""opendata-lab: the CERN Open Data portal in JupyterLab (prebuilt extension)."""

try:
    from ._version import __version__
except ImportError:  # running from a source tree that was never built
    import warnings

    warnings.warn("Importing 'opendata_lab' outside a proper installation.")
    __version__ = "dev"


def _jupyter_labextension_paths():
    return [{"src": "labextension", "dest": "opendata-lab"}]


def _jupyter_server_extension_points():
    return [{"module": "opendata_lab"}]


def _load_jupyter_server_extension(serverapp):
    """Registers the portal record API route (see `portal_route.py`)."""
    from .portal_route import setup_handlers

    config = setup_handlers(serverapp)
    serverapp.log.info("opendata-lab: portal record API route forwards to %s", config.portal_url)


from .samples import data_path  # noqa: E402 - after the entry points Jupyter looks up
