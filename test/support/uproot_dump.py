"""Independent truth for the ROOT reader tests: uproot's reading of every branch of the trees in
the given ROOT files, as JSON on stdout. Each branch becomes its jagged/regular structure (counts
per level) and its flattened leaf values: little-endian bytes in base64 for numbers (bitwise
comparison), a list for strings. A branch uproot cannot read is reported with uproot's error.

usage: python uproot_dump.py FILE... [--entries START STOP] [--branches A,B]
       python uproot_dump.py --objects FILE...   (stored histograms and graphs, with flow bins)
"""
import base64
import json
import sys

import awkward as ak
import numpy as np
import uproot

TREES = ("TTree", "TNtuple", "TNtupleD")


def encode(array):
    levels = []
    x = array
    while True:
        t = x.type.content if isinstance(x.type, ak.types.ArrayType) else x.type
        if t.parameter("__array__") == "string":
            return {"levels": levels, "strings": x.tolist()}
        if isinstance(t, ak.types.ListType):
            levels.append({"var": ak.num(x, axis=1).to_numpy().tolist()})
        elif isinstance(t, ak.types.RegularType):
            levels.append({"regular": t.size})
        else:
            break
        x = ak.flatten(x, axis=1)
    values = ak.to_numpy(x)
    dtype = values.dtype
    if dtype == np.bool_:
        raw = values.astype(np.uint8).tobytes()
    else:
        raw = values.astype(dtype.newbyteorder("<")).tobytes()
    return {"levels": levels, "dtype": dtype.name, "b64": base64.b64encode(raw).decode()}


def dump_object(obj):
    cls = obj.classname
    if cls.startswith("TGraph"):
        out = {"class": cls, "x": obj.values(axis="x").tolist(), "y": obj.values(axis="y").tolist()}
        for axis in ("x", "y"):
            for which in ("low", "high"):
                try:
                    err = obj.errors(axis=axis, which=which)
                except Exception:  # a plain TGraph has no errors
                    err = np.zeros(len(out["x"]))
                out[f"e{axis}_{which}"] = np.asarray(err).tolist()
        return out
    out = {
        "class": cls,
        "values": obj.values(flow=True).tolist(),
        "errors": obj.errors(flow=True).tolist(),
        "entries": float(obj.member("fEntries")),
    }
    axes = [obj.axis(i) for i in range(obj.kind == "MEAN" and 1 or len(obj.axes))]
    out["edges"] = [a.edges().tolist() for a in axes]
    if cls == "TProfile":
        out["counts"] = obj.counts(flow=True).tolist()
    return out


def dump_objects(files):
    out = {}
    for path in files:
        with uproot.open(path) as f:
            out[path] = {
                key.rsplit(";", 1)[0]: dump_object(f[key])
                for key, cls in f.classnames().items()
                if cls.startswith(("TH1", "TH2", "TProfile", "TGraph"))
            }
    return out


def main(argv):
    if argv and argv[0] == "--objects":
        json.dump(dump_objects(argv[1:]), sys.stdout)
        return
    files, start, stop, only = [], None, None, None
    i = 0
    while i < len(argv):
        if argv[i] == "--entries":
            start, stop = int(argv[i + 1]), int(argv[i + 2])
            i += 3
        elif argv[i] == "--branches":
            only = argv[i + 1].split(",")
            i += 2
        else:
            files.append(argv[i])
            i += 1
    out = {}
    for path in files:
        trees = {}
        with uproot.open(path) as f:
            for key, cls in f.classnames().items():
                if cls not in TREES:
                    continue
                tree = f[key]
                name = key.rsplit(";", 1)[0]
                branches = {}
                for b in tree.itervalues(recursive=True):
                    if only is not None and b.name not in only:
                        continue
                    try:
                        arr = b.array(library="ak", entry_start=start, entry_stop=stop)
                        branches[b.name] = encode(arr)
                    except Exception as err:  # what uproot itself cannot read
                        branches[b.name] = {"error": f"{type(err).__name__}: {err}"[:300]}
                trees[name] = {"entries": tree.num_entries, "branches": branches}
        out[path] = trees
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
