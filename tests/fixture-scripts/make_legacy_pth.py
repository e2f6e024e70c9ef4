#!/usr/bin/python3
"""Writes the legacy torch.save fixtures of PyTorchCheckpoint's tests into tests/NeuralStyle.Tests/Fixtures/pytorch/legacy/.

The legacy format (torch.save(..., _use_new_zipfile_serialization=False), the default before PyTorch 1.6) is a
sequence of protocol-2 pickles (magic number, format version 1001, sys_info, the object, the storage keys) followed by
each storage as an 8-byte little-endian element count and its raw bytes.

Needs Debian 12's /usr/bin/python3 with python3-torch (1.13) and numpy; run make_pytorch_fixtures.py first. The state
dicts are torch.load'ed from the zip fixtures in Fixtures/pytorch/ (and the LeNet-5 one in Fixtures/zoo/) and saved
again in the legacy format, so each legacy file holds exactly the tensors of a zip file. About 280 KB in all, most of
it the LeNet-5 state dict.

Written here:
  tiny_net.pth, tiny_net_f64.pth, dtypes.pth (float16, bfloat16, float64, integers, bool), views.pth (one shared
  storage: slices, a transpose, a zero-stride expand, an empty slice, a scalar), nested_state_dict.pth ({'epoch',
  'miou', 'state_dict', 'optimizer'}), lenet5_modern.pth (the zoo's lenet5-modern), all by torch itself;
  storage_view.pth: written by hand as PyTorch before 0.4 did, two tensors over parts (views) of one storage,
  read back by torch 1.13 for the manifest;
  py2_tiny_net.pth: tiny_net's state dict written by hand as Python 2 with PyTorch 0.3 wrote it (str keys as
  SHORT_BINSTRING, OrderedDict from a list of pairs, torch._utils._rebuild_tensor with four arguments), the age of
  torchvision's own 2017 model files; torch 1.13 reads it back for the manifest;
  reject_whole_module.pth: torch.save(TinyNet) (a pickled module, with the 'module' persistent ids);
  reject_hostile.pth: a legacy file whose object pickle calls posix.system('touch /tmp/neural-style-legacy-hostile-ran')
  (never torch.load it);
  manifest.json: what torch.load reads from every readable file (keys in order, shapes, dtypes, values), and which
  zip fixture holds the same tensors;
  layout.json: where each pickle and storage header starts in each file, found by reading the pickles back with
  Python's own pickle module, for the tests that doctor the files.
"""
import io
import json
import os
import pickle
import struct
import sys
from collections import OrderedDict

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "NeuralStyle.Tests", "Fixtures")
ZIP = os.path.join(FIXTURES, "pytorch")
OUT = os.path.join(ZIP, "legacy")
MAGIC = 0x1950A86A20F9469CFC6C
HOSTILE_MARKER = "/tmp/neural-style-legacy-hostile-ran"


def path(name):
    return os.path.join(OUT, name)


def legacy(obj, name):
    torch.save(obj, path(name), _use_new_zipfile_serialization=False)


class _Stub(dict):
    """Stands for whatever a legacy file's pickles build while they are read back without torch."""

    def __init__(self, *args, **kwargs):
        pass


class _Named:
    """A global read back by name only, never imported: calling it makes a stub."""

    def __init__(self, module, name):
        self.module, self.name = module, name

    def __call__(self, *args, **kwargs):
        return _Stub()


def layout(name):
    """Pickle starts, storage headers and the end of a legacy file, read with the pickle module alone (nothing imported or run)."""
    with open(path(name), "rb") as f:
        starts = []
        declared = {}

        class Reader(pickle.Unpickler):
            def persistent_load(self, pid):
                if pid[0] == "storage":
                    item = getattr(torch, pid[1].name)().element_size()
                    declared[pid[2]] = (pid[4], item)
                    return _Stub()
                return _Stub  # a module class (torch.save of a whole module)

            def find_class(self, module, cls):
                return _Named(module, cls)

        for _ in range(5):
            starts.append(f.tell())
            keys = Reader(f).load()
        data = f.tell()
        storages = []
        for key in keys:
            at = f.tell()
            (count,) = struct.unpack("<q", f.read(8))
            numel, item = declared[key]
            assert count == numel, (name, key, count, numel)
            storages.append({"key": key, "header": at, "numel": count, "item_size": item})
            f.seek(at + 8 + count * item)
        end = f.seek(0, io.SEEK_END)
        assert not storages or f.seek(storages[-1]["header"] + 8 + storages[-1]["numel"] * storages[-1]["item_size"]) == end
        return {"pickles": starts, "data": data, "storages": storages, "end": end}


def write_pickles(f, obj_pickle, keys, dumps=lambda v: pickle.dumps(v, protocol=2)):
    sys_info = dict(protocol_version=1001, little_endian=True, type_sizes=dict(short=2, int=4, long=4))
    for value in (MAGIC, 1001, sys_info):
        f.write(dumps(value))
    f.write(obj_pickle)
    f.write(dumps(keys))


class Py2Pickler(pickle._Pickler):
    """Pickles as Python 2 and PyTorch 0.3 did: str as SHORT_BINSTRING, OrderedDict from a list of [key, value]
    pairs, tensors through torch._utils._rebuild_tensor(storage, offset, size, stride), storages as persistent ids."""

    dispatch = dict(pickle._Pickler.dispatch)

    def __init__(self, f):
        super().__init__(f, protocol=2)
        self.storages = OrderedDict()

    def save_py2_str(self, obj):
        data = obj.encode("latin-1")
        self.write(b"U" + bytes([len(data)]) + data if len(data) < 256 else b"T" + struct.pack("<i", len(data)) + data)
        self.memoize(obj)

    dispatch[str] = save_py2_str

    def persistent_id(self, obj):
        if isinstance(obj, torch.storage.TypedStorage):
            key = str(len(self.storages)) if obj not in self.storages.values() else next(k for k, v in self.storages.items() if v is obj)
            self.storages[key] = obj
            return ("storage", getattr(torch, obj.pickle_storage_type()), key, "cpu", obj.size(), None)
        return None

    def reducer_override(self, obj):
        if isinstance(obj, OrderedDict):
            return (OrderedDict, ([[k, v] for k, v in obj.items()],))
        if isinstance(obj, torch.Tensor):
            return (torch._utils._rebuild_tensor, (obj.storage(), obj.storage_offset(), tuple(obj.size()), obj.stride()))
        return NotImplemented


def py2_file(state, name):
    """A state dict as Python 2 with PyTorch 0.3 wrote it (torchvision's 2017 model files are of that age)."""
    buffer = io.BytesIO()
    pickler = Py2Pickler(buffer)
    pickler.dump(OrderedDict(state))

    def dumps(value):
        b = io.BytesIO()
        Py2Pickler(b).dump(value)
        return b.getvalue()

    with open(path(name), "wb") as f:
        keys = sorted(pickler.storages)
        write_pickles(f, buffer.getvalue(), keys, dumps)
        for key in keys:
            storage = pickler.storages[key]
            f.write(struct.pack("<q", storage.size()))
            f.write(torch.empty(0, dtype=storage.dtype).set_(storage).view(torch.uint8).numpy().tobytes())


def storage_view_file(name):
    """Two tensors over views of one float storage, as PyTorch 0.3 saved a tensor made from part of a storage."""
    root = torch.arange(10, dtype=torch.float32) * 1.5 - 4
    views = {"head": ("v1", 1, 6), "tail": ("v2", 5, 5)}

    class View:
        def __init__(self, key, offset, size):
            self.pid = ("storage", torch.FloatStorage, "root", "cpu", 10, (key, offset, size))

    class Tensor:
        def __init__(self, view, offset, size, stride):
            self.args = (view, offset, size, stride, False, OrderedDict())

        def __reduce__(self):
            return (torch._utils._rebuild_tensor_v2, self.args)

    class Pickler(pickle.Pickler):
        def persistent_id(self, obj):
            return obj.pid if isinstance(obj, View) else None

    obj = OrderedDict()
    obj["head"] = Tensor(View(*views["head"]), 1, (2, 2), (1, 2))  # elements 2..5 of the view, transposed
    obj["tail"] = Tensor(View(*views["tail"]), 0, (5,), (1,))
    buffer = io.BytesIO()
    Pickler(buffer, protocol=2).dump(obj)
    with open(path(name), "wb") as f:
        write_pickles(f, buffer.getvalue(), ["root"])
        f.write(struct.pack("<q", 10))
        f.write(root.numpy().tobytes())


def hostile_file(name):
    """A legacy file whose object pickle is GLOBAL posix.system, REDUCE: torch.load would run the command."""
    command = ("touch " + HOSTILE_MARKER).encode()
    obj = b"\x80\x02cposix\nsystem\nq\x00X" + struct.pack("<I", len(command)) + command + b"q\x01\x85q\x02Rq\x03."
    with open(path(name), "wb") as f:
        write_pickles(f, obj, [])


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.set_num_threads(1)
    same_as = {}
    for name in ("tiny_net.pth", "tiny_net_f64.pth", "dtypes.pth", "views.pth", "nested_state_dict.pth"):
        obj = torch.load(os.path.join(ZIP, name))
        legacy(obj, name)
        same_as[name] = "pytorch/" + name
    views = torch.load(os.path.join(ZIP, "views.pth"))
    assert len({v.storage().data_ptr() for v in views.values()}) == 1, "the views must share one storage"
    legacy(torch.load(os.path.join(FIXTURES, "zoo", "lenet", "lenet5-modern", "state_dict.pth")), "lenet5_modern.pth")
    same_as["lenet5_modern.pth"] = "zoo/lenet/lenet5-modern/state_dict.pth"
    storage_view_file("storage_view.pth")
    py2_file(torch.load(os.path.join(ZIP, "tiny_net.pth")), "py2_tiny_net.pth")
    same_as["py2_tiny_net.pth"] = "pytorch/tiny_net.pth"

    sys.path.insert(0, HERE)
    from make_pytorch_fixtures import TinyNet

    net = TinyNet()
    net.load_state_dict(torch.load(os.path.join(ZIP, "tiny_net.pth")))
    legacy(net, "reject_whole_module.pth")
    hostile_file("reject_hostile.pth")

    manifest = {}
    layouts = {}
    for name in sorted(os.listdir(OUT)):
        if not name.endswith(".pth"):
            continue
        layouts[name] = layout(name)
        if name.startswith("reject_"):
            continue
        loaded = torch.load(path(name))
        sd = loaded.get("state_dict", loaded)
        manifest[name] = {
            "same_as": same_as.get(name),
            # LeNet-5's values are left out (1.7 MB of JSON); its test compares with the zip file and the zoo's output.
            "tensors": [[k, list(v.shape), str(v.dtype).replace("torch.", "")] + ([] if name == "lenet5_modern.pth" else [v.double().flatten().tolist()]) for k, v in sd.items()],
        }
    with open(path("manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    with open(path("layout.json"), "w") as f:
        json.dump(layouts, f, indent=1)
        f.write("\n")
    for name in sorted(os.listdir(OUT)):
        print(name, os.path.getsize(path(name)))


if __name__ == "__main__":
    main()
