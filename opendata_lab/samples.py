"""Where the bundled sample event files are, for loaders inserted into Python notebooks."""

from __future__ import annotations

import os
import sys
from pathlib import Path

DATA_DIR_ENV = "OPENDATA_LAB_DATA"


def _candidates():
    if os.environ.get(DATA_DIR_ENV):
        yield Path(os.environ[DATA_DIR_ENV])
    # A source checkout (editable install): the repository's data/ next to the package.
    yield Path(__file__).resolve().parents[1] / "data"
    # A wheel install: the samples are shared data of the package.
    yield Path(sys.prefix) / "share" / "opendata-lab" / "data"


def data_path(*parts: str) -> str:
    """A path inside the bundled data directory, e.g. `data_path("events", "Zmumu.root")`.

    The same lookup as the TypeScript helpers' `dataPath`: `$OPENDATA_LAB_DATA` first.
    """
    tried = []
    for base in _candidates():
        path = base.joinpath(*parts)
        if path.exists():
            return str(path)
        tried.append(str(base))
    raise FileNotFoundError(f"{'/'.join(parts)}: not in any opendata-lab data directory ({', '.join(tried)})")
