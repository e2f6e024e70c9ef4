#!/usr/bin/python3
"""Writes tiny VGG-like Caffe .caffemodel files, encoded by hand in the protobuf wire format, and their expected tensors.

Debian's python3 has no protobuf module and no Caffe, so the messages are written here field by field from
caffe.proto (BVLC/caffe, src/caffe/proto/caffe.proto):

* NetParameter: name = 1, layers = 2 (V1LayerParameter), input = 3, input_dim = 4, layer = 100 (LayerParameter).
* LayerParameter (V2): name = 1, type = 2 (string), bottom = 3, top = 4, param = 6 (ParamSpec), blobs = 7,
  convolution_param = 106, pooling_param = 121.
* V1LayerParameter: layer = 1 (V0LayerParameter, whose blobs are field 50), bottom = 2, top = 3, name = 4,
  type = 5 (enum: CONVOLUTION = 4, INNER_PRODUCT = 14, POOLING = 17, RELU = 18), blobs = 6, blobs_lr = 7,
  convolution_param = 10.
* BlobProto: num = 1, channels = 2, height = 3, width = 4 (legacy 4-d), data = 5 (float, packed), diff = 6,
  shape = 7 (BlobShape: dim = 1, packed int64), double_data = 8 (packed).

The net: data 1x3x4x4 -> conv1_1 (3->4, 3x3) -> relu1_1 -> conv1_2 (4->4, 3x3) -> relu1_2 -> pool1 (2x2) -> fc6
(InnerProduct 16 -> 5). Weights and biases are float32 from numpy RandomState(13), the same in both files.

* tiny-v1.caffemodel: V1 `layers` with enum types and legacy num/channels/height/width (a bias is 1x1x1xN, the
  InnerProduct weight 1x1x5x16, as Caffe wrote them). conv1_1's values are packed, conv1_2's unpacked (one fixed32
  field per float). Fields the reader must skip: a V0 `layer` (field 1) inside conv1_1 holding a name and a blob of
  its own, convolution_param submessages, blobs_lr (fixed32), a `diff` in a blob, an unknown varint field 999, an
  unknown fixed64 field 998 and an unknown group (field 997, wire types 3/4), plus the net's input/input_dim.
* tiny-v2.caffemodel: V2 `layer` with string types and `shape`. fc6's weight is stored as double_data (the float32
  values widened, so the expected float32 values are exact). It starts with an Input layer whose input_param
  (field 143) is skipped, as are param (ParamSpec) submessages, pooling_param and an unknown length-delimited
  field 12345.
* expected.json: for each file, the net's name and every layer (name, type as a V2 string, bottoms, tops, blobs with
  the shape as stored and the values in C order).

Deterministic: re-running gives the same bytes. Run from the repository root with /usr/bin/python3.
"""
import json
import os
import struct

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), '..', 'NeuralStyle.Tests', 'Fixtures', 'caffe')

VARINT, FIXED64, LEN, START_GROUP, END_GROUP, FIXED32 = 0, 1, 2, 3, 4, 5


def varint(value):
    value &= (1 << 64) - 1  # negative int64 values are written as ten-byte two's complement
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def key(field, wire_type):
    return varint((field << 3) | wire_type)


def f_varint(field, value):
    return key(field, VARINT) + varint(value)


def f_len(field, payload):
    return key(field, LEN) + varint(len(payload)) + payload


def f_str(field, text):
    return f_len(field, text.encode('utf-8'))


def packed_floats(field, values):
    return f_len(field, struct.pack('<%df' % len(values), *values))


def unpacked_floats(field, values):
    return b''.join(key(field, FIXED32) + struct.pack('<f', v) for v in values)


def packed_doubles(field, values):
    return f_len(field, struct.pack('<%dd' % len(values), *values))


def blob_legacy(array, packed=True, diff=False):
    n, c, h, w = (1,) * (4 - array.ndim) + array.shape
    out = f_varint(1, n) + f_varint(2, c) + f_varint(3, h) + f_varint(4, w)
    values = array.astype(np.float32).ravel().tolist()
    out += packed_floats(5, values) if packed else unpacked_floats(5, values)
    if diff:
        out += packed_floats(6, [0.5] * len(values))
    return out


def blob_shape(array, double=False):
    values = array.astype(np.float32).ravel()
    out = packed_doubles(8, values.astype(np.float64).tolist()) if double else packed_floats(5, values.tolist())
    dims = b''.join(varint(d) for d in array.shape)
    return out + f_len(7, f_len(1, dims))  # Caffe writes fields in number order: shape (7) after data (5)


def weights():
    rng = np.random.RandomState(13)
    def draw(*shape):
        return (rng.standard_normal(shape) * 0.5).astype(np.float32)
    return {
        'conv1_1': (draw(4, 3, 3, 3), draw(4)),
        'conv1_2': (draw(4, 4, 3, 3), draw(4)),
        'fc6': (draw(5, 16), draw(5)),
    }


LAYERS = [
    # name, V2 type, V1 enum, bottom, top
    ('conv1_1', 'Convolution', 4, 'data', 'conv1_1'),
    ('relu1_1', 'ReLU', 18, 'conv1_1', 'conv1_1'),
    ('conv1_2', 'Convolution', 4, 'conv1_1', 'conv1_2'),
    ('relu1_2', 'ReLU', 18, 'conv1_2', 'conv1_2'),
    ('pool1', 'Pooling', 17, 'conv1_2', 'pool1'),
    ('fc6', 'InnerProduct', 14, 'pool1', 'fc6'),
]


def v1_net(w):
    net = f_str(1, 'TinyVGG_v1') + f_str(3, 'data') + b''.join(f_varint(4, d) for d in (1, 3, 4, 4))
    for name, _, enum, bottom, top in LAYERS:
        layer = b''
        if name == 'conv1_1':
            # A V0 layer (field 1) as very old files carry: a name and a blob (V0 blobs = 50) the reader must skip.
            layer += f_len(1, f_str(1, 'v0_' + name) + f_len(50, blob_legacy(np.arange(6, dtype=np.float32))))
        layer += f_str(2, bottom) + f_str(3, top) + f_str(4, name) + f_varint(5, enum)
        if name in w:
            weight, bias = w[name]
            legacy_weight = weight.reshape(1, 1, *weight.shape) if weight.ndim == 2 else weight
            packed = name != 'conv1_2'
            layer += f_len(6, blob_legacy(legacy_weight, packed=packed, diff=(name == 'fc6')))
            layer += f_len(6, blob_legacy(bias, packed=packed))
            layer += unpacked_floats(7, [1.0, 2.0])  # blobs_lr
        if name.startswith('conv'):
            layer += f_len(10, f_varint(1, 4) + f_varint(3, 1) + f_varint(4, 3))  # num_output, pad, kernel_size
        if name == 'relu1_1':
            layer += f_varint(999, 7) + key(998, FIXED64) + struct.pack('<d', 1.5)
            layer += key(997, START_GROUP) + f_varint(1, 3) + f_str(2, 'x') + key(997, END_GROUP)
        net += f_len(2, layer)
    return net


def v2_net(w):
    net = f_str(1, 'TinyVGG_v2')
    net += f_len(100, f_str(1, 'data') + f_str(2, 'Input') + f_str(4, 'data')
                 + f_len(143, f_len(1, f_len(1, b''.join(varint(d) for d in (1, 3, 4, 4))))))
    for name, typ, _, bottom, top in LAYERS:
        layer = f_str(1, name) + f_str(2, typ) + f_str(3, bottom) + f_str(4, top)
        if name in w:
            weight, bias = w[name]
            layer += f_len(6, key(3, FIXED32) + struct.pack('<f', 1.0)) * 2  # param { lr_mult: 1 } twice
            layer += f_len(7, blob_shape(weight, double=(name == 'fc6')))
            layer += f_len(7, blob_shape(bias))
        if name == 'pool1':
            layer += f_len(121, f_varint(1, 0) + f_varint(2, 2) + f_varint(3, 2))
        if name == 'relu1_2':
            layer += f_len(12345, b'unknown payload')
        net += f_len(100, layer)
    return net


def expected(name, w, v1):
    layers = [] if v1 else [{'name': 'data', 'type': 'Input', 'bottoms': [], 'tops': ['data'], 'blobs': []}]
    for lname, typ, _, bottom, top in LAYERS:
        blobs = []
        if lname in w:
            for array in w[lname]:
                shape = list(array.shape)
                if v1:
                    shape = [1] * (4 - len(shape)) + shape
                blobs.append({'shape': shape, 'data': [float(v) for v in array.ravel()]})
        layers.append({'name': lname, 'type': typ, 'bottoms': [bottom], 'tops': [top], 'blobs': blobs})
    return {'name': name, 'layers': layers}


def main():
    os.makedirs(OUT, exist_ok=True)
    w = weights()
    with open(os.path.join(OUT, 'tiny-v1.caffemodel'), 'wb') as f:
        f.write(v1_net(w))
    with open(os.path.join(OUT, 'tiny-v2.caffemodel'), 'wb') as f:
        f.write(v2_net(w))
    result = {'tiny-v1.caffemodel': expected('TinyVGG_v1', w, True),
              'tiny-v2.caffemodel': expected('TinyVGG_v2', w, False)}
    with open(os.path.join(OUT, 'expected.json'), 'w') as f:
        json.dump(result, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
