#!/usr/bin/python3
"""Writes VGG-19-shaped random weights in every state-dict format the program reads, for the load-cost benchmark.

Use Debian's Python (torch 1.13 and numpy; it has neither safetensors nor protobuf):

    /usr/bin/python3 tools/make_vgg19_shaped_weights.py DIRECTORY                   # the load-cost files
    /usr/bin/python3 tools/make_vgg19_shaped_weights.py --same-network DIRECTORY    # one network, six formats

writes into DIRECTORY (never the repository: the files are about 548 MiB each, and end in .big.* so that
.gitignore keeps them out):

* vgg19-shaped.big.pth         torch.save, zip format (the default since torch 1.6)
* vgg19-shaped-legacy.big.pth  torch.save(..., _use_new_zipfile_serialization=False)
* vgg19-shaped.big.safetensors written here with struct and json per the format's specification, laid out as
  tests/fixture-scripts/make_safetensors_fixtures.py describes (sorted by name: every tensor is F32; compact
  JSON padded with spaces to a multiple of 8 bytes)
* vgg19-shaped.big.caffemodel  a V2 NetParameter (`layer` = 100) hand-encoded in the protobuf wire format, as in
  tests/fixture-scripts/make_caffemodel_fixtures.py: Caffe's names conv1_1 .. conv5_4, fc6, fc7, fc8, blobs with
  packed float `data` (5) and a `shape` (7); fc6's weight is InnerProduct's 4096 x 25088.
* vgg19-shaped-v1.big.caffemodel  the same net as V1 `layers` (= 2; name 4, type enum 5, blobs 6) with legacy
  num/channels/height/width blobs (a bias 1x1x1xN, an InnerProduct weight 1x1xOUTxIN), the layout of the VGG
  group's own VGG_ILSVRC_19_layers.caffemodel.

The torch files and the safetensors file use torchvision's keys (features.N.weight/bias, classifier.0/3/6.*) and
shapes. The values are those of tools/make_vgg19_shaped_mat.py with the same seed: N(0, 1) * sqrt(2 / fan_in)
float32 kernels and N(0, 1) * 0.01 biases from numpy's default_rng, drawn in the same order, then transposed from
MatConvNet's H x W x Cin x Cout to Cout x Cin x H x W (fc6's 7 x 7 x 512 x 4096 to 4096 x 25088 in torch's
flatten order C, H, W). So by default every format, the .mat included, holds the same 548 MiB of numbers, each
read in its own format's input convention (so not the same network: see --same-network).

--same-network makes the files describe ONE network (issue 13's "done means"; BENCHMARKS.md, "VGG-19 from every
weight format", and bench/vgg_formats.sh, which runs the seed's command with each file): the seed's command gives
bit-identical losses within a convention group, and from the same start image (--initial) losses within about 1e-4
across the groups; from the seed's noise start they differ more, since that start is the mean pixel plus noise and
the groups' mean pixels differ by half a level. The network is that of the .mat that
make_vgg19_shaped_mat.py writes with the same seed (MatConvNet convention: RGB 0..255 minus the file's mean pixel
M = [123.68, 116.779, 103.939]); each file holds it in its own format's input convention, changing conv1_1 only:

* the torchvision-keyed files (.pth zip, legacy .pth, safetensors) are read in torchvision's convention,
  (RGB / 255 - mean) / std with mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225): conv1_1 becomes
  W_t[o,c,y,x] = W_m[o,c,y,x] * 255 * std[c], b_t[o] = b_m[o] - sum_{c,y,x} W_m[o,c,y,x] * (M[c] - 255 * mean[c])
  (float64, stored float32), as tests/fixture-scripts/make_vgg_sources.py does; on an interior pixel this equals the
  .mat's network, at the border the zero padding stands for the pixel 255 * mean instead of M (about half a level);
* the two .caffemodel files are read in Caffe's convention (BGR 0..255 minus M reversed): conv1_1's input channels
  are reversed (input 0 is blue);
* vgg19-shaped.big.onnx: torch.onnx.export (opset 11, as make_vgg_sources.py) of the torchvision-layout
  `features` (Conv 3x3 pad 1, Relu, MaxPool 2x2/2, pool5 included, 76 MiB: no classifier), torchvision convention,
  input `data` N x 3 x H x W with dynamic N, H, W;
* vgg19-shaped.big.mat: make_vgg19_shaped_mat.py's current layout, written by its write_mat.

So the directory then holds seven files (six formats) and takes about 3.3 GB; the run takes about 80 s and peaks at
about 3 GB (the .mat's writer). Without --same-network the numbers are the same in every file whatever the convention
(the load-cost benchmark's files), and no .onnx or .mat is written.

Memory: the weights are held once (about 548 MiB; one layer's transposed copy at a time while they are drawn), and
the safetensors and caffemodel writers stream each array from that one copy. The whole run peaks at about 1.1 GB
(torch.save's own buffers) and takes about 15 s. The legacy torch.save file is not byte-for-byte reproducible (its
storage keys are memory addresses), nor is the .mat's 116-byte header (its creation time); the other files are.
"""

import argparse
import json
import os
import struct
import sys
import time
from collections import OrderedDict

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_vgg19_shaped_mat  # noqa: E402

BLOCKS = [(1, 64, 2), (2, 128, 2), (3, 256, 4), (4, 512, 4), (5, 512, 4)]


def conv_specs():
    """(Caffe name, torchvision prefix, kernel size, cin, cout) of VGG-19's 19 weight layers in order."""
    specs = []
    cin, index = 3, 0
    for block, width, convs in BLOCKS:
        for i in range(1, convs + 1):
            specs.append((f'conv{block}_{i}', f'features.{index}', 3, cin, width))
            cin = width
            index += 2  # conv, relu
        index += 1  # pool
    specs += [('fc6', 'classifier.0', 7, 512, 4096), ('fc7', 'classifier.3', 1, 4096, 4096),
              ('fc8', 'classifier.6', 1, 4096, 1000)]
    return specs


def draw(seed):
    """[(caffe name, torch prefix, weight in torch's shape, bias)], the same numbers as make_vgg19_shaped_mat.py."""
    rng = np.random.default_rng(seed)
    layers = []
    for caffe, prefix, size, cin, cout in conv_specs():
        kernel = rng.standard_normal((size, size, cin, cout), dtype=np.float32)
        kernel *= np.float32(np.sqrt(2.0 / (size * size * cin)))
        bias = rng.standard_normal(cout, dtype=np.float32) * np.float32(0.01)
        weight = np.ascontiguousarray(kernel.transpose(3, 2, 0, 1))  # Cout x Cin x H x W
        del kernel
        if prefix.startswith('classifier'):
            weight = weight.reshape(cout, cin * size * size)
        layers.append((caffe, prefix, weight, bias))
    return layers


MAT_MEAN = np.array([123.68, 116.779, 103.939])  # make_vgg19_shaped_mat.MEAN, in float64
TV_MEAN = np.array([0.485, 0.456, 0.406])
TV_STD = np.array([0.229, 0.224, 0.225])


def with_conv1_1(layers, weight, bias):
    """The layer list with conv1_1's weight and bias replaced; the other layers' arrays are shared, not copied."""
    caffe, prefix, _, _ = layers[0]
    assert caffe == 'conv1_1'
    return [(caffe, prefix, weight, bias)] + layers[1:]


def torchvision_convention(layers):
    """conv1_1 for input (RGB / 255 - mean) / std, equal to the .mat's on RGB - MAT_MEAN away from the border."""
    _, _, weight, bias = layers[0]
    w64 = weight.astype(np.float64)
    shift = MAT_MEAN - 255.0 * TV_MEAN  # about (0.005, 0.499, 0.409)
    wt = w64 * (255.0 * TV_STD)[None, :, None, None]
    bt = bias.astype(np.float64) - np.einsum('ocyx,c->o', w64, shift)
    return with_conv1_1(layers, wt.astype(np.float32), bt.astype(np.float32))


def caffe_convention(layers):
    """conv1_1 for input BGR - MAT_MEAN reversed: its input channels reversed."""
    _, _, weight, bias = layers[0]
    return with_conv1_1(layers, np.ascontiguousarray(weight[:, ::-1]), bias)


def write_onnx(path, layers):
    """torch.onnx.export of torchvision's vgg19().features (37 modules) with the layers' conv weights."""
    modules = []
    for _, _, count in BLOCKS:
        for _ in range(count):
            modules += [None, nn.ReLU(inplace=True)]
        modules.append(nn.MaxPool2d(2, 2))
    for _, prefix, weight, bias in layers:
        if not prefix.startswith('features'):
            continue
        index = int(prefix.split('.')[1])
        conv = nn.Conv2d(weight.shape[1], weight.shape[0], 3, padding=1)
        with torch.no_grad():
            conv.weight.copy_(torch.from_numpy(weight))
            conv.bias.copy_(torch.from_numpy(bias))
        modules[index] = conv
    features = nn.Sequential(*modules)
    net = nn.Sequential()
    net.add_module('features', features)  # initializer names features.N.weight / .bias
    net.eval()
    torch.onnx.export(net, torch.zeros(1, 3, 32, 32), path, opset_version=11, input_names=['data'],
                      output_names=['features'], do_constant_folding=True,
                      dynamic_axes={'data': {0: 'batch', 2: 'height', 3: 'width'},
                                    'features': {0: 'batch', 2: 'out_height', 3: 'out_width'}})


def state_dict(layers):
    result = OrderedDict()
    for _, prefix, weight, bias in layers:
        result[prefix + '.weight'] = torch.from_numpy(weight)  # shares the array's memory
        result[prefix + '.bias'] = torch.from_numpy(bias)
    return result


def write_safetensors(path, named):
    names = sorted(named)
    header, offset = {'__metadata__': {'format': 'pt'}}, 0
    for name in names:
        a = named[name]
        header[name] = {'dtype': 'F32', 'shape': list(a.shape), 'data_offsets': [offset, offset + a.nbytes]}
        offset += a.nbytes
    text = json.dumps(header, separators=(',', ':')).encode('utf-8')
    text += b' ' * ((8 - len(text) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text)
        for name in names:
            f.write(memoryview(named[name]).cast('B'))  # no copy


def varint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if not value:
            out.append(byte)
            return bytes(out)
        out.append(byte | 0x80)


def f_len_prefix(field, length):
    return varint((field << 3) | 2) + varint(length)


def f_str(field, text):
    b = text.encode('utf-8')
    return f_len_prefix(field, len(b)) + b


def f_varint(field, value):
    return varint(field << 3) + varint(value)


def blob_parts(array, legacy):
    """A BlobProto as (bytes before the floats, the array, bytes after), fields in number order as Caffe writes them:
    legacy num, channels, height, width (1-4) then data (5); or data (5) then shape (7)."""
    head = f_len_prefix(5, array.nbytes)
    if legacy:
        dims = (1,) * (4 - array.ndim) + array.shape
        return b''.join(f_varint(i + 1, d) for i, d in enumerate(dims)) + head, array, b''
    dims = b''.join(varint(d) for d in array.shape)
    shape_message = f_len_prefix(1, len(dims)) + dims
    return head, array, f_len_prefix(7, len(shape_message)) + shape_message


V1_CONVOLUTION, V1_INNER_PRODUCT = 4, 14


def write_caffemodel(path, layers, v1):
    """V2: NetParameter.layer (100) with name 1, type 2, bottom 3, top 4, blobs 7. V1: NetParameter.layers (2) with
    bottom 2, top 3, name 4, type 5 (enum), blobs 6. Each array is written from memory as it is, never joined."""
    with open(path, 'wb') as f:
        f.write(f_str(1, 'VGG_ILSVRC_19_layers'))
        for caffe, _, weight, bias in layers:
            fc = caffe.startswith('fc')
            if v1:
                fields = (f_str(2, 'bottom_' + caffe) + f_str(3, caffe) + f_str(4, caffe)
                          + f_varint(5, V1_INNER_PRODUCT if fc else V1_CONVOLUTION))
            else:
                kind = 'InnerProduct' if fc else 'Convolution'
                fields = f_str(1, caffe) + f_str(2, kind) + f_str(3, 'bottom_' + caffe) + f_str(4, caffe)
            blobs_field = 6 if v1 else 7
            stored_weight = weight.reshape(1, 1, *weight.shape) if v1 and fc else weight
            blobs = [blob_parts(stored_weight, v1), blob_parts(bias, v1)]
            blob_lengths = [len(h) + a.nbytes + len(t) for h, a, t in blobs]
            body = len(fields) + sum(len(f_len_prefix(blobs_field, n)) + n for n in blob_lengths)
            f.write(f_len_prefix(2 if v1 else 100, body))
            f.write(fields)
            for (head, array, tail), n in zip(blobs, blob_lengths):
                f.write(f_len_prefix(blobs_field, n))
                f.write(head)
                f.write(memoryview(array).cast('B'))
                f.write(tail)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('directory', help='where to write the files (outside the repository)')
    parser.add_argument('--seed', type=int, default=19)
    parser.add_argument('--same-network', action='store_true',
                        help='every file the same network as make_vgg19_shaped_mat.py\'s .mat, each in its own '
                             'input convention; also writes the .onnx and the .mat')
    args = parser.parse_args()
    os.makedirs(args.directory, exist_ok=True)
    if sys.byteorder != 'little':
        sys.exit('the formats are little-endian; this script writes the arrays as they are in memory')

    start = time.time()
    layers = draw(args.seed)
    weights_bytes = sum(w.nbytes + b.nbytes for _, _, w, b in layers)
    print(f'{len(layers)} weight layers, {weights_bytes / 2**20:.0f} MiB of float32, drawn in {time.time() - start:.0f} s')
    torch_layers, caffe_layers = layers, layers
    if args.same_network:
        torch_layers, caffe_layers = torchvision_convention(layers), caffe_convention(layers)
    sd = state_dict(torch_layers)
    outputs = [
        ('vgg19-shaped.big.pth', lambda p: torch.save(sd, p)),
        ('vgg19-shaped-legacy.big.pth', lambda p: torch.save(sd, p, _use_new_zipfile_serialization=False)),
        ('vgg19-shaped.big.safetensors',
         lambda p: write_safetensors(p, {k: v.numpy() for k, v in sd.items()})),
        ('vgg19-shaped.big.caffemodel', lambda p: write_caffemodel(p, caffe_layers, v1=False)),
        ('vgg19-shaped-v1.big.caffemodel', lambda p: write_caffemodel(p, caffe_layers, v1=True)),
    ]
    if args.same_network:
        outputs += [
            ('vgg19-shaped.big.onnx', lambda p: write_onnx(p, torch_layers)),
            ('vgg19-shaped.big.mat', lambda p: make_vgg19_shaped_mat.write_mat(p, args.seed)),
        ]
    for name, write in outputs:
        path = os.path.join(args.directory, name)
        start = time.time()
        write(path)
        print(f'{path}: {os.path.getsize(path) / 2**20:.0f} MiB in {time.time() - start:.0f} s')

if __name__ == '__main__':
    main()
