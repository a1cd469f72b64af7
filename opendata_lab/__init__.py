"""opendata-lab: the CERN Open Data portal in JupyterLab (prebuilt extension)."""

try:
    from ._version import __version__
except ImportError:  # running from a source tree that was never built
    import warnings

    warnings.warn("Importing 'opendata_lab' outside a proper installation.")
    __version__ = "dev"


def _jupyter_labextension_paths():
    return [{"src": "labextension", "dest": "opendata-lab"}]
