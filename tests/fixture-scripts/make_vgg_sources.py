#!/usr/bin/python3
"""Writes the tiny VGG network of Fixtures/tinyvgg/tiny-vgg-current.mat in every weights format users have, with
PyTorch references, into tests/NeuralStyle.Tests/Fixtures/vggsources/.

    /usr/bin/python3 tests/fixture-scripts/make_tiny_vgg.py        # first (the .mat and the images)
    /usr/bin/python3 tests/fixture-scripts/make_vgg_sources.py     # about 10 s

Needs Debian's /usr/bin/python3 (torch 1.13, onnx 1.12, scipy, numpy, PIL). The weights are read from the .mat with
scipy and asserted equal to make_tiny_vgg.py's draw; every file below is written by torch, onnx or the hand encoders
of make_caffemodel_fixtures.py / make_safetensors_fixtures.py, never by our C# code.

Caffe group: input BGR 0..255 minus [103.939, 116.779, 123.68] (the .mat's mean pixel, reversed). Every layer is the
.mat's, in PyTorch's layout weight[o, i, y, x] = kernel[y, x, i, o], except that conv1_1's input channels are
reversed (i = 0 is blue). fc6..fc8 are 2-d (Cout x Cin*H*W, flattened in C, H, W order, as Caffe and torchvision do).

  tiny-vgg.caffemodel          V1 NetParameter.layers (field 2), enum types, legacy num/channels/height/width blobs
                               (a conv weight Cout x Cin x 3 x 3, a bias 1x1x1xCout, an fc weight 1x1xCoutxCin),
                               conv1_1..conv5_4, relu, pool, fc6, relu6, drop6, fc7, relu7, drop7, fc8, prob, with
                               convolution/pooling/inner_product/dropout params, as VGG_ILSVRC_19_layers.caffemodel
  tiny-vgg-v2.caffemodel       the same as V2 NetParameter.layer (field 100), string types, BlobShape blobs
  tiny-vgg-caffe-legacy.pth    legacy torch.save of an OrderedDict with jcjohnson/pytorch-vgg's keys
                               (vgg19-d01eb7cb.pth): features.N.weight/bias, classifier.1/4/6.weight/bias
  tiny-vgg-gatys.pth           legacy torch.save with Gatys' vgg_conv.pth keys conv1_1.weight .. conv5_4.bias

Torchvision group: input (RGB/255 - mean) / std, mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225). conv1_1 is
changed so that on an interior pixel this network on torchvision's input equals the .mat's on RGB - M (M the .mat's
mean pixel): W_t[o,c,y,x] = W_m[o,c,y,x] * 255 * std[c], b_t[o] = b_m[o] - sum_{c,y,x} W_m[o,c,y,x] * (M[c] -
255 * mean[c]) (float64, stored float32); every other layer is the .mat's.

  tiny-vgg-tv.pth              zip torch.save, torchvision keys features.N.*, classifier.0/3/6.*
  tiny-vgg-tv-legacy.pth       the same, legacy torch.save (_use_new_zipfile_serialization=False)
  tiny-vgg-tv.safetensors      the same keys, F32, written per the format's specification
  tiny-vgg-tv.onnx             torch.onnx.export (opset 11) of the torchvision-layout `features` alone (Conv 3x3
                               pad 1, Relu, MaxPool 2x2/2 in torchvision's floor mode, pool5 included); input `data`
                               N x 3 x H x W with dynamic N, H, W, output `features`; initializers features.N.*

References (torch, float64, stored float32), on Fixtures/tinyvgg/content.png (37 x 29), conv pad 1, max pool 2x2/2
ceil_mode=True (TensorFlow SAME):

  features-caffe-<layer>.npy   the Caffe group's network on BGR - [103.939, 116.779, 123.68], weights as stored
  features-tv-<layer>.npy      the torchvision group's network on (RGB/255 - mean)/std, weights as stored
                               (<layer>: relu1_1, relu2_1, relu3_1, relu4_1, relu4_2, relu5_1; 1 x C x H x W)
  reference-tv.json / .png     reference_stylize.py's run of tinyvgg/reference-default.json's settings with the
                               torchvision group: the optimised image is x = RGB - 255 * mean (the seed's units),
                               the network sees x / (255 * std) per channel, weights as stored in tiny-vgg-tv.pth

Deterministic: re-running gives the same bytes, except for the three legacy .pth files (tiny-vgg-caffe-legacy.pth,
tiny-vgg-gatys.pth, tiny-vgg-tv-legacy.pth): torch 1.13's legacy writer names each storage after its address
(str(storage._cdata)), so the keys change from run to run; the tensors stay the same.
"""
import io
import json
import os
import struct
import sys
from collections import OrderedDict

import numpy as np
import onnx
import scipy.io
import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import numpy_helper
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_tiny_vgg  # noqa: E402
import reference_stylize as ref  # noqa: E402
from make_caffemodel_fixtures import blob_legacy, blob_shape, f_len, f_str, f_varint, key, varint, FIXED32  # noqa: E402
from make_safetensors_fixtures import read_back as safetensors_read_back, serialize as safetensors_bytes  # noqa: E402

FIXTURES = os.path.normpath(os.path.join(HERE, "..", "NeuralStyle.Tests", "Fixtures"))
TINY = os.path.join(FIXTURES, "tinyvgg")
OUT = os.path.join(FIXTURES, "vggsources")

LAYERS = make_tiny_vgg.VGG19_LAYERS          # 43 MatConvNet layers; index = torchvision features.N for N <= 36
CONVS = [n for n in LAYERS if n.startswith("conv")]
FCS = ("fc6", "fc7", "fc8")
CAFFE_MEAN_BGR = np.array([103.939, 116.779, 123.68])
TV_MEAN = np.array([0.485, 0.456, 0.406])
TV_STD = np.array([0.229, 0.224, 0.225])
REFERENCE_LAYERS = ("relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu4_2", "relu5_1")
JCJOHNSON_FC = {"fc6": "classifier.1", "fc7": "classifier.4", "fc8": "classifier.6"}   # old torchvision: Dropout first
TORCHVISION_FC = {"fc6": "classifier.0", "fc7": "classifier.3", "fc8": "classifier.6"}


# ---------------------------------------------------------------------------------------------
# weights
# ---------------------------------------------------------------------------------------------

def read_mat():
    """name -> (weight float32 in PyTorch layout, bias float32) for every conv and fc of the .mat, and its mean pixel."""
    data = scipy.io.loadmat(os.path.join(TINY, "tiny-vgg-current.mat"))
    norm = data["meta"][0][0]["normalization"][0][0]
    mean_pixel = np.mean(np.asarray(norm["averageImage"], dtype=np.float64), axis=(0, 1)).reshape(3)
    drawn = make_tiny_vgg.make_weights()
    weights = {}
    for cell in data["layers"][0]:
        st = cell[0][0]
        name = str(st["name"][0])
        if str(st["type"][0]) != "conv":
            continue
        kernel, bias = st["weights"][0]
        assert kernel.dtype == np.float32 and bias.dtype == np.float32
        assert np.array_equal(kernel, drawn[name][0]) and np.array_equal(bias.reshape(-1), drawn[name][1]), name
        w = np.ascontiguousarray(kernel.transpose(3, 2, 0, 1))     # weight[o, i, y, x] = kernel[y, x, i, o]
        if name in FCS:
            w = w.reshape(w.shape[0], -1)                           # C, H, W order, as Caffe and torchvision flatten
        weights[name] = (w, np.ascontiguousarray(bias.reshape(-1)))
    assert list(weights) == CONVS + list(FCS)
    return weights, mean_pixel


def caffe_weights(mat):
    w = dict(mat)
    k, b = mat["conv1_1"]
    w["conv1_1"] = (np.ascontiguousarray(k[:, ::-1]), b)            # input channel 0 = blue
    return w


def torchvision_weights(mat, mean_pixel):
    w = dict(mat)
    k, b = mat["conv1_1"]
    k64 = k.astype(np.float64)
    shift = mean_pixel - 255.0 * TV_MEAN                            # M - 255 mean, about (0.005, 0.499, 0.409)
    kt = k64 * (255.0 * TV_STD)[None, :, None, None]
    bt = b.astype(np.float64) - np.einsum("ocyx,c->o", k64, shift)
    w["conv1_1"] = (kt.astype(np.float32), bt.astype(np.float32))
    return w


def tensor(a):
    return torch.from_numpy(np.ascontiguousarray(a, dtype=np.float32).copy())


def features_dict(w, fc_keys=None):
    sd = OrderedDict()
    for name in CONVS:
        n = LAYERS.index(name)
        sd["features.%d.weight" % n] = tensor(w[name][0])
        sd["features.%d.bias" % n] = tensor(w[name][1])
    for name in FCS if fc_keys else ():
        sd[fc_keys[name] + ".weight"] = tensor(w[name][0])
        sd[fc_keys[name] + ".bias"] = tensor(w[name][1])
    return sd


def gatys_dict(w):
    sd = OrderedDict()
    for name in CONVS:
        sd[name + ".weight"] = tensor(w[name][0])
        sd[name + ".bias"] = tensor(w[name][1])
    return sd


# ---------------------------------------------------------------------------------------------
# Caffe (field numbers: make_caffemodel_fixtures.py's docstring, plus the layer parameters below)
#   V1LayerParameter: convolution_param = 10, dropout_param = 12, inner_product_param = 17, pooling_param = 19;
#   V1 enum: CONVOLUTION 4, DROPOUT 6, INNER_PRODUCT 14, POOLING 17, RELU 18, SOFTMAX 20.
#   LayerParameter: convolution_param = 106, dropout_param = 108, inner_product_param = 117, pooling_param = 121.
#   ConvolutionParameter: num_output 1, pad 3, kernel_size 4, stride 6; PoolingParameter: pool 1 (MAX 0),
#   kernel_size 2, stride 3; InnerProductParameter: num_output 1; DropoutParameter: dropout_ratio 1 (float).
#   NetParameter: input 3, input_dim 4, input_shape 8 (BlobShape).
# ---------------------------------------------------------------------------------------------

CAFFE_LAYERS = [n for n in LAYERS if n != "prob"] + ["prob"]
CAFFE_LAYERS = CAFFE_LAYERS[:CAFFE_LAYERS.index("relu6") + 1] + ["drop6"] + \
    CAFFE_LAYERS[CAFFE_LAYERS.index("fc7"):CAFFE_LAYERS.index("relu7") + 1] + ["drop7", "fc8", "prob"]
V1_ENUM = {"conv": 4, "drop": 6, "fc": 14, "pool": 17, "relu": 18, "prob": 20}
V2_TYPE = {"conv": "Convolution", "drop": "Dropout", "fc": "InnerProduct", "pool": "Pooling", "relu": "ReLU",
           "prob": "Softmax"}


def caffe_kind(name):
    for prefix in ("conv", "drop", "fc", "pool", "relu", "prob"):
        if name.startswith(prefix):
            return prefix
    raise ValueError(name)


def caffe_graph():
    """(name, kind, bottom, top) in order: relu and dropout in place, as the VGG prototxt has them."""
    current, out = "data", []
    for name in CAFFE_LAYERS:
        kind = caffe_kind(name)
        if kind in ("relu", "drop"):
            out.append((name, kind, current, current))
        else:
            out.append((name, kind, current, name))
            current = name
    return out


def layer_param(kind, w, name, v1):
    if kind == "conv":
        field = 10 if v1 else 106
        return f_len(field, f_varint(1, w[name][0].shape[0]) + f_varint(3, 1) + f_varint(4, 3))
    if kind == "pool":
        return f_len(19 if v1 else 121, f_varint(1, 0) + f_varint(2, 2) + f_varint(3, 2))
    if kind == "fc":
        return f_len(17 if v1 else 117, f_varint(1, w[name][0].shape[0]))
    if kind == "drop":
        return f_len(12 if v1 else 108, key(1, FIXED32) + struct.pack("<f", 0.5))
    return b""


def caffemodel(w, v1):
    net = f_str(1, "VGG_ILSVRC_19_layers") + f_str(3, "data")
    if v1:
        net += b"".join(f_varint(4, d) for d in (10, 3, 224, 224))
    else:
        net += f_len(8, f_len(1, b"".join(varint(d) for d in (10, 3, 224, 224))))
    for name, kind, bottom, top in caffe_graph():
        if v1:
            layer = f_str(2, bottom) + f_str(3, top) + f_str(4, name) + f_varint(5, V1_ENUM[kind])
            if name in w:
                layer += f_len(6, blob_legacy(w[name][0])) + f_len(6, blob_legacy(w[name][1]))
            layer += layer_param(kind, w, name, True)
            net += f_len(2, layer)
        else:
            layer = f_str(1, name) + f_str(2, V2_TYPE[kind]) + f_str(3, bottom) + f_str(4, top)
            if name in w:
                layer += f_len(7, blob_shape(w[name][0])) + f_len(7, blob_shape(w[name][1]))
            layer += layer_param(kind, w, name, False)
            net += f_len(100, layer)
    return net


# ---------------------------------------------------------------------------------------------
# ONNX
# ---------------------------------------------------------------------------------------------

class Features(nn.Module):
    """torchvision's vgg19().features: Conv2d 3x3 pad 1, ReLU, MaxPool2d(2, 2) (floor mode), 37 modules."""

    def __init__(self, w):
        super().__init__()
        mods = []
        for name in LAYERS[:37]:
            if name.startswith("conv"):
                k, b = w[name]
                conv = nn.Conv2d(k.shape[1], k.shape[0], 3, padding=1)
                conv.weight.data.copy_(tensor(k))
                conv.bias.data.copy_(tensor(b))
                mods.append(conv)
            elif name.startswith("relu"):
                mods.append(nn.ReLU(inplace=True))
            else:
                mods.append(nn.MaxPool2d(2, 2))
        self.features = nn.Sequential(*mods)

    def forward(self, x):
        return self.features(x)


def onnx_bytes(w):
    net = Features(w).eval()
    buffer = io.BytesIO()
    torch.onnx.export(net, torch.zeros(1, 3, 32, 32), buffer, opset_version=11, input_names=["data"],
                      output_names=["features"], do_constant_folding=True,
                      dynamic_axes={"data": {0: "batch", 2: "height", 3: "width"},
                                    "features": {0: "batch", 2: "out_height", 3: "out_width"}})
    model = onnx.load_from_string(buffer.getvalue())
    onnx.checker.check_model(model)
    inits = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    expected = features_dict(w)
    assert set(inits) == set(expected), sorted(inits)
    for k, v in expected.items():
        assert np.array_equal(inits[k], v.numpy()), k
    ops = [n.op_type for n in model.graph.node]
    assert ops.count("Conv") == 16 and ops.count("Relu") == 16 and ops.count("MaxPool") == 5, ops
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# references
# ---------------------------------------------------------------------------------------------

def forward(sd, x, wanted):
    """The features.N state dict (weights as stored, widened to float64) on x: conv pad 1, relu, TF-SAME max pool."""
    out = {}
    for n, name in enumerate(LAYERS[:LAYERS.index(max(wanted, key=LAYERS.index)) + 1]):
        if name.startswith("conv"):
            x = F.conv2d(x, sd["features.%d.weight" % n].double(), sd["features.%d.bias" % n].double(), padding=1)
        elif name.startswith("relu"):
            x = F.relu(x)
        else:
            x = F.max_pool2d(x, 2, 2, ceil_mode=True)
        if name in wanted:
            out[name] = x
    return out


def image_nchw(hwc):
    return torch.from_numpy(np.ascontiguousarray(hwc.transpose(2, 0, 1))[None])


def max_rel(a, b):
    return float(np.abs(a - b).max() / np.abs(b).max())


def layers_for_reference(sd):
    """reference_stylize's layer list (MatConvNet kernel layout) from a features.N state dict."""
    out = []
    for n, name in enumerate(ref.VGG19_LAYERS):
        if name.startswith("conv"):
            k = sd["features.%d.weight" % n].numpy().transpose(2, 3, 1, 0)     # kernel[y, x, i, o] = weight[o, i, y, x]
            out.append((name, "conv", np.ascontiguousarray(k), sd["features.%d.bias" % n].numpy().copy()))
        else:
            out.append((name, "relu" if name.startswith("relu") else "pool", None, None))
    return out


def cross_group(a, b):
    """Per loss term, the largest relative difference of a's printed losses from b's (rows: iteration)."""
    worst = {}
    for pa, pb in zip(a, b):
        assert pa["iteration"] == pb["iteration"]
        for term in ("content", "style", "tv", "total"):
            if pb[term] != 0:
                worst[term] = max(worst.get(term, 0.0), abs(pa[term] - pb[term]) / abs(pb[term]))
            else:
                worst[term] = max(worst.get(term, 0.0), abs(pa[term] - pb[term]) / abs(pb["total"]))
    return worst


def write(name, blob):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(blob)


def main():
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    os.makedirs(OUT, exist_ok=True)
    mat, mean_pixel = read_mat()
    caffe = caffe_weights(mat)
    tv = torchvision_weights(mat, mean_pixel)

    # Caffe group
    write("tiny-vgg.caffemodel", caffemodel(caffe, v1=True))
    write("tiny-vgg-v2.caffemodel", caffemodel(caffe, v1=False))
    caffe_sd = features_dict(caffe, JCJOHNSON_FC)
    torch.save(caffe_sd, os.path.join(OUT, "tiny-vgg-caffe-legacy.pth"), _use_new_zipfile_serialization=False)
    torch.save(gatys_dict(caffe), os.path.join(OUT, "tiny-vgg-gatys.pth"), _use_new_zipfile_serialization=False)

    # torchvision group
    tv_sd = features_dict(tv, TORCHVISION_FC)
    torch.save(tv_sd, os.path.join(OUT, "tiny-vgg-tv.pth"))
    torch.save(tv_sd, os.path.join(OUT, "tiny-vgg-tv-legacy.pth"), _use_new_zipfile_serialization=False)
    blob, _ = safetensors_bytes(tv_sd, {"format": "pt"})
    header, back = safetensors_read_back(blob)
    assert all(header[k]["dtype"] == "F32" and torch.equal(back[k], v) for k, v in tv_sd.items())
    write("tiny-vgg-tv.safetensors", blob)
    write("tiny-vgg-tv.onnx", onnx_bytes(tv))

    # read back what torch wrote
    for name, expected in (("tiny-vgg-caffe-legacy.pth", caffe_sd), ("tiny-vgg-gatys.pth", gatys_dict(caffe)),
                           ("tiny-vgg-tv.pth", tv_sd), ("tiny-vgg-tv-legacy.pth", tv_sd)):
        back = torch.load(os.path.join(OUT, name))
        assert list(back) == list(expected) and all(torch.equal(back[k], expected[k]) for k in expected), name

    # features
    rgb = ref.read_rgb(os.path.join(TINY, "content.png")).astype(np.float64)
    caffe_in = image_nchw(rgb[:, :, ::-1] - CAFFE_MEAN_BGR)
    tv_in = image_nchw((rgb / 255.0 - TV_MEAN) / TV_STD)
    mat_in = image_nchw(rgb - mean_pixel)
    with torch.no_grad():
        fc = forward(caffe_sd, caffe_in, REFERENCE_LAYERS)
        ft = forward(tv_sd, tv_in, REFERENCE_LAYERS)
        fm = forward(features_dict(mat), mat_in, REFERENCE_LAYERS)
    print("features (float64; relative = max |diff| / max |reference|):")
    for layer in REFERENCE_LAYERS:
        c, t, m = fc[layer].numpy(), ft[layer].numpy(), fm[layer].numpy()
        np.save(os.path.join(OUT, "features-caffe-%s.npy" % layer), c.astype(np.float32))
        np.save(os.path.join(OUT, "features-tv-%s.npy" % layer), t.astype(np.float32))
        # the Caffe files are the .mat exactly; only the mean pixel's float32 rounding separates the two inputs
        assert max_rel(c, m) < 1e-7, (layer, max_rel(c, m))
        print("  %-8s %-10s caffe vs .mat %.1e   tv vs caffe %.1e" % (layer, "x".join(map(str, c.shape)), max_rel(c, m),
                                                                     max_rel(t, c)))
    c, t = fc["relu1_1"].numpy(), ft["relu1_1"].numpy()
    inner = max_rel(t[:, :, 1:-1, 1:-1], c[:, :, 1:-1, 1:-1])
    border = float(np.abs(t - c).max())
    assert inner < 1e-6, inner
    print("  relu1_1 away from the border: tv vs caffe %.1e (float32 weights); largest difference on the border %.3f"
          % (inner, border))

    # reference run of the torchvision group, in the seed's units
    s, cli, explicit = [c for c in ref.CONFIGS if c[0]["name"] == "default"][0]
    network = "../vggsources/tiny-vgg-tv.pth"
    s = dict(s, name="tv", network=network)
    cli = [network if a == "tiny-vgg-current.mat" else a for a in cli]
    explicit = [network if a == "tiny-vgg-current.mat" else a for a in explicit]
    source = (layers_for_reference(tv_sd), 255.0 * TV_MEAN, 255.0 * TV_STD)
    r32 = ref.stylize(TINY, s, torch.float32, source=source)
    r64 = ref.stylize(TINY, s, torch.float64, source=source)
    d32 = ref.stylize(TINY, ref.CONFIGS[0][0], torch.float32)
    d64 = ref.stylize(TINY, ref.CONFIGS[0][0], torch.float64)
    with open(os.path.join(TINY, "reference-default.json")) as f:
        committed = json.load(f)["printed"]
    vs = {"float32, this run's default": cross_group(r32["printed"], d32["printed"]),
          "float64, this run's default": cross_group(r64["printed"], d64["printed"]),
          "float32, tinyvgg/reference-default.json": cross_group(r32["printed"], committed)}
    ref.write_reference(OUT, s, cli, explicit, r32, r64, {}, extra={
        "description": "PyTorch reference (tests/fixture-scripts/make_vgg_sources.py with reference_stylize.py) of "
                       "the seed's algorithm on the torchvision group (tiny-vgg-tv.pth as stored): the optimised image "
                       "is RGB - 255 * mean, the network's input that divided by 255 * std per channel; float32, "
                       "torch %s, 1 thread" % torch.__version__,
        "input": {"mean_pixel": [float(v) for v in 255.0 * TV_MEAN], "divided_by": [float(v) for v in 255.0 * TV_STD]},
        "diagnostics_note": "none for this configuration",
        "versus_caffe_group": {k: v for k, v in vs.items()},
        "versus_caffe_group_note": "largest relative difference, per term over the printed iterations, of these "
                                   "losses from the same run with tiny-vgg-current.mat (the Caffe group); it comes "
                                   "from the zero padding alone (the mean pixels differ by 0.005, 0.499, 0.409)",
    })
    print("\nreference-tv.json: printed losses against the Caffe group's (largest relative difference per term):")
    for what, worst in vs.items():
        print("  %-42s " % what + "  ".join("%s %.2e" % kv for kv in worst.items()))
    print("\n%-8s %-8s %16s %16s %9s" % ("iter", "term", "tv group", "caffe group", "rel"))
    for pt, pc in zip(r32["printed"], d32["printed"]):
        for term in ("content", "style", "tv", "total"):
            print("%-8d %-8s %16.9g %16.9g %9.2e" % (pt["iteration"], term, pt[term], pc[term],
                                                     ref.rel(pt[term], pc[term])))

    print()
    total = 0
    for f in sorted(os.listdir(OUT)):
        size = os.path.getsize(os.path.join(OUT, f))
        total += size
        print("%8d  %s" % (size, f))
    print("%8d  in all" % total)
    return 0


if __name__ == "__main__":
    sys.exit(main())
