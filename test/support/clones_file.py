# Writes a ROOT file holding a TClonesArray of TObjStrings, which none of the real sample files has
# and uproot cannot write: uproot writes the file (directory, keys, streamer infos and a TObjString
# "note"), and the TClonesArray key's bytes are serialized here in ROOT's layout, the elements
# member-wise (every element's TObject part, then every element's string), as TClonesArray::Streamer
# writes them. Prints what uproot reads back as JSON.
#
# usage: python clones_file.py OUT '["string", ...]'
import json
import struct
import sys

import uproot

K_BYTE_COUNT = 0x40000000
K_NOT_DELETED = 0x02000000  # fBits as ROOT writes them: not deleted, nothing referenced


def tstring(text):
    raw = text.encode()
    assert len(raw) < 255
    return bytes([len(raw)]) + raw


def tobject():
    return struct.pack(">hII", 1, 0, K_NOT_DELETED)


def clones_of_tobjstrings(name, strings):
    body = tobject() + tstring(name) + tstring("TObjString;1")
    body += struct.pack(">II", len(strings), 0)  # count, fLowerBound
    body += b"".join(tobject() for _ in strings)
    body += b"".join(tstring(s) for s in strings)
    # byte count (of what follows it) and class version 4, ROOT's TClonesArray version
    return struct.pack(">Ih", (len(body) + 2) | K_BYTE_COUNT, 4) + body


def main(out, strings):
    with uproot.recreate(out) as f:
        f["note"] = "a TClonesArray of TObjString"
        raw = clones_of_tobjstrings("clones", strings)
        # stored uncompressed: uncompressed size equal to the stored one
        f._cascading.add_object(f.file.sink, "TClonesArray", "clones", "", raw, len(raw))
    with uproot.open(out) as f:
        print(json.dumps({"classnames": f.classnames(), "note": str(f["note"])}))


if __name__ == "__main__":
    main(sys.argv[1], json.loads(sys.argv[2]))
