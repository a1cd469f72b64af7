"""Writes an uncompressed NanoAOD-like tree (nMuon, Muon_pt[nMuon], Muon_eta[nMuon]) with uproot and
then changes one count of nMuon in place, so that the counter and the values Muon_pt's basket holds
disagree (as ROOT writes them when a count passes the count leaf's maximum, or as damage does).
Prints JSON: the entry changed and its count before and after.

usage: python counter_mismatch.py OUT.root
"""
import json
import sys

import awkward as ak
import numpy as np
import uproot

out = sys.argv[1]
rng = np.random.default_rng(13)
counts = rng.integers(0, 4, 5000).astype(np.int32)
pt = ak.unflatten(rng.uniform(5, 80, int(counts.sum())).astype(np.float32), counts)
eta = ak.unflatten(rng.uniform(-2.4, 2.4, int(counts.sum())).astype(np.float32), counts)
with uproot.recreate(out, compression=None) as f:
    # mktree (with the arrays: one basket per branch) writes a TTree; assigning a dict writes an
    # RNTuple in this uproot
    f.mktree("Events", {"Muon": ak.zip({"pt": pt, "eta": eta})})

data = bytearray(open(out, "rb").read())
# nMuon's basket holds the counts as big-endian int32s, back to back: find them (unique) and
# raise the count of entry 100 by one
needle = counts[:64].astype(">i4").tobytes()
at = data.find(needle)
assert at >= 0 and data.find(needle, at + 1) < 0, "nMuon's values not found once"
entry = 100
pos = at + 4 * entry
before = int.from_bytes(data[pos:pos + 4], "big")
data[pos:pos + 4] = (before + 1).to_bytes(4, "big")
open(out, "wb").write(bytes(data))
print(json.dumps({"entry": entry, "before": before, "after": before + 1}))
