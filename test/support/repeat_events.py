"""Writes a larger NanoAOD-like ROOT file from the bundled sample's real muons, repeated.

`python repeat_events.py OUT.root EVENTS [BASKET_EVENTS]`: tree `Events` with `nMuon`, `Muon_pt`,
`Muon_eta` (the events of data/events/nano_dimuon.root over and over), ZLIB as NanoAOD is. For
tests and benchmarks that need more bytes per file than the bundled samples have.
"""

import sys
from pathlib import Path

import awkward as ak
import numpy as np
import uproot

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "events" / "nano_dimuon.root"


def main(out: str, events: int, basket: int = 50_000) -> None:
    muons = uproot.open(SAMPLE)["Events"].arrays(["Muon_pt", "Muon_eta"])
    # the events in a random (seeded) order: repeated in order, zlib would squeeze them to nothing
    index = np.random.default_rng(13).integers(0, len(muons), events)
    with uproot.recreate(out, compression=uproot.ZLIB(1)) as f:
        for start in range(0, events, basket):
            part = muons[index[start : start + basket]]
            chunk = {"Muon": ak.zip({"pt": part["Muon_pt"], "eta": part["Muon_eta"]})}
            if start == 0:
                # a TTree (uproot writes an RNTuple for `f[name] = ...` of records)
                tree = f.mktree("Events", {"Muon": chunk["Muon"].type.content})
            tree.extend(chunk)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), *(int(a) for a in sys.argv[3:4]))
