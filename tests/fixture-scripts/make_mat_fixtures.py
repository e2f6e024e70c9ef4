#!/usr/bin/python3
"""Writes the MAT-file fixtures of tests/NeuralStyle.Tests/Fixtures/mat and their expected values.

Run with Debian's Python (it has scipy and numpy; the pyenv python3 on PATH does not), with Octave installed:

    /usr/bin/python3 tests/fixture-scripts/make_mat_fixtures.py

The fixtures come from writers that are independent of the C# reader under test:
  * scipy.io.savemat (uncompressed and compressed) and scipy's MatFile5Writer (for a global variable);
  * GNU Octave's save -v6 / -v7 (and -v4 / -hdf5 for the refusal tests), through make_mat_fixtures.m;
  * a small hand-written Level 5 byte writer in this file (HandWriter), for what no available writer produces:
    big-endian files, numeric data stored in a narrower type than its class (as MATLAB does), small data
    elements, char data as UTF-8/UTF-16/UTF-32/uint8, empty miMATRIX elements in cells, objects in containers,
    compressed elements without zlib end or checksum, subsystem data, function handles and opaque objects.

For every readable fixture NAME.mat this writes NAME.expected.json, computed by reading NAME.mat back with
scipy.io.loadmat (never with the code under test). The hand-written files are therefore checked by scipy too:
if scipy reads a hand-made file differently from what the script meant to write, the script stops.
Where scipy itself cannot read a fixture (noted below), the expectation is scipy's reading of the same
variables in an intact file, and the JSON says so.

JSON layout: {"writer", "reader", "byte_order", "header_text", "variables": [ {"name", "global", ...} ]} where
each array is described as
  numeric: {"class": double|single|int8|...|uint64|logical, "dims", "complex",
            "real_f": column-major values, "real_c": row-major (C order over the same dims) values,
            "imag_f", "imag_c" (complex only)}; NaN and infinities are the strings "NaN", "Infinity", "-Infinity"
  char:    {"class": "char", "dims", "chars_f": all characters column-major, "rows": [one string per row]}
  cell:    {"class": "cell", "dims", "elements": [arrays, column-major]}
  struct:  {"class": "struct", "dims", "fields": [names in order], "elements": [{field: array}, column-major]}
  object:  like struct with "class": "object" and "classname"
  sparse:  {"class": "sparse", "dims", "logical", "complex", "ir", "jc", "real", "imag"}
"""

import json
import math
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

import numpy as np
import scipy
import scipy.io as sio
import scipy.sparse as sparse
from scipy.io.matlab import MatlabObject
from scipy.io.matlab._mio5 import MatFile5Reader, MatFile5Writer

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, '..', 'NeuralStyle.Tests', 'Fixtures', 'mat'))
OCTAVE = '/usr/bin/octave'

# ----------------------------------------------------------------------------------------------------------
# Expected values, from scipy.io.loadmat
# ----------------------------------------------------------------------------------------------------------

CLASS_OF_DTYPE = {
    'float64': 'double', 'float32': 'single', 'int8': 'int8', 'uint8': 'uint8', 'int16': 'int16',
    'uint16': 'uint16', 'int32': 'int32', 'uint32': 'uint32', 'int64': 'int64', 'uint64': 'uint64',
    'bool': 'logical', 'complex128': 'double', 'complex64': 'single',
}


def jvalue(x):
    if isinstance(x, (bool, np.bool_)):
        return int(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    x = float(x)
    if math.isnan(x):
        return 'NaN'
    if math.isinf(x):
        return 'Infinity' if x > 0 else '-Infinity'
    return x


def jlist(arr, order):
    return [jvalue(v) for v in np.asarray(arr).flatten(order=order)]


def describe(a, b, logical_flag=False):
    """a: the value loaded with mat_dtype=True (MATLAB classes); b: the same loaded without it.

    scipy's mat_dtype=True drops imaginary parts (it casts complex to the real class dtype), so complex values
    come from b while the class comes from a. scipy returns logical sparse matrices with their stored data type,
    so for those the logical flag comes from scipy's reading of the variable header (logical_flag).
    """
    if sparse.issparse(a):
        a = a.tocsc()
        b = b.tocsc()
        is_complex = np.iscomplexobj(b.data)
        d = {'class': 'sparse', 'dims': list(a.shape), 'logical': bool(a.dtype == np.bool_ or logical_flag),
             'complex': bool(is_complex),
             'ir': [int(i) for i in b.indices], 'jc': [int(j) for j in b.indptr],
             'real': [jvalue(v) for v in np.real(b.data)]}
        if is_complex:
            d['imag'] = [jvalue(v) for v in np.imag(b.data)]
        return d
    if isinstance(a, MatlabObject) or a.dtype.fields:
        fields = list(a.dtype.names)
        d = {'class': 'object' if isinstance(a, MatlabObject) else 'struct', 'dims': list(a.shape), 'fields': fields,
             'elements': [{f: describe(ea[f], eb[f]) for f in fields}
                          for ea, eb in zip(np.asarray(a).flatten(order='F'), np.asarray(b).flatten(order='F'))]}
        if isinstance(a, MatlabObject):
            d['classname'] = a.classname
        return d
    if a.dtype == object:
        flat_a = a.flatten(order='F')
        if flat_a.size > 0 and all(e is None for e in flat_a):
            # scipy's reading of a struct without fields.
            return {'class': 'struct', 'dims': list(a.shape), 'fields': [], 'elements': [{} for _ in flat_a]}
        return {'class': 'cell', 'dims': list(a.shape),
                'elements': [describe(ea, eb) for ea, eb in zip(flat_a, b.flatten(order='F'))]}
    if a.dtype.kind == 'U':
        rows = a.shape[0] if a.ndim > 0 else 0
        return {'class': 'char', 'dims': list(a.shape), 'chars_f': ''.join(a.flatten(order='F')),
                'rows': [''.join(a[r].flatten(order='F')) for r in range(rows)]}
    is_complex = np.iscomplexobj(b)
    d = {'class': CLASS_OF_DTYPE[a.dtype.name], 'dims': list(a.shape), 'complex': bool(is_complex)}
    values = b if is_complex else a
    d['real_f'] = jlist(np.real(values), 'F')
    d['real_c'] = jlist(np.real(values), 'C')
    if is_complex:
        d['imag_f'] = jlist(np.imag(values), 'F')
        d['imag_c'] = jlist(np.imag(values), 'C')
    return d


def scipy_globals_and_order(path):
    """Variable names in file order with their global flags, from scipy's own header reader."""
    result = []
    with open(path, 'rb') as f:
        size = os.fstat(f.fileno()).st_size
        reader = MatFile5Reader(f)
        reader.mat_stream.seek(0)
        reader.initialize_read()
        reader.mat_stream.seek(128)
        while f.tell() < size:
            hdr, next_position = reader.read_var_header()
            result.append((hdr.name.decode('latin1'), bool(hdr.is_global), bool(hdr.is_logical)))
            f.seek(next_position)
        byte_order = 'big' if reader.byte_order in ('>', 'big') else 'little'
    return result, byte_order


def fix_timestamp(path):
    """Replaces the creation time in a writer's header text by a fixed one, so that re-running gives the same bytes."""
    with open(path, 'r+b') as f:
        text = f.read(116).decode('latin1')
        fixed = re.sub(r'Created on: .*', 'Created on: Thu Jan  1 00:00:00 2026', text.rstrip(' \0'))
        fixed = re.sub(r'\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC', '2026-01-01 00:00:00 UTC', fixed)
        f.seek(0)
        f.write(fixed.encode('latin1').ljust(116, b' ')[:116])


def write_expected(mat_name, writer, read_from=None, note=None):
    """Reads OUT/mat_name (or read_from, a file with the same variables) with scipy and writes the JSON."""
    path = read_from or os.path.join(OUT, mat_name)
    fix_timestamp(path)
    kw = dict(chars_as_strings=False, squeeze_me=False, struct_as_record=True)
    a = sio.loadmat(path, mat_dtype=True, **kw)
    b = sio.loadmat(path, mat_dtype=False, **kw)
    order, byte_order = scipy_globals_and_order(path)
    variables = []
    for name, is_global, is_logical in order:
        if name == '' or name == '__function_workspace__':
            continue  # subsystem data, which the reader skips
        d = {'name': name, 'global': is_global}
        d.update(describe(a[name], b[name], is_logical))
        variables.append(d)
    header = a['__header__'].decode('latin1').rstrip(' \0')
    expected = {'writer': writer, 'reader': f'scipy.io.loadmat {scipy.__version__}',
                'byte_order': byte_order, 'header_text': header, 'variables': variables}
    if note:
        expected['note'] = note
    with open(os.path.join(OUT, mat_name.replace('.mat', '.expected.json')), 'w', encoding='utf-8') as f:
        json.dump(expected, f, indent=1, ensure_ascii=False)
        f.write('\n')
    return expected


# ----------------------------------------------------------------------------------------------------------
# scipy-written fixtures
# ----------------------------------------------------------------------------------------------------------

def cell(*items, shape=None):
    c = np.empty(len(items), dtype=object)
    for i, item in enumerate(items):
        c[i] = item
    return c.reshape(shape or (1, len(items)), order='F')


def spread():
    """Variables covering every class the reader handles, with distinct values so order mistakes show."""
    v = {}
    v['d_scalar'] = np.array([[3.5]])
    v['d_row'] = np.array([[1.0, 2.0, 3.0, 4.0, 5.0]])
    v['d_col'] = np.array([[1.5], [2.5], [3.5]])
    v['d_mat'] = np.arange(12, dtype=np.float64).reshape(3, 4) * 1.25 - 4
    v['d_special'] = np.array([[np.nan, np.inf, -np.inf, -0.0, 5e-324, 1.7976931348623157e308]])
    v['s_mat'] = np.array([[1.25, -2.5, 3.75], [4.5, 5e-8, 6e30]], dtype=np.float32)
    v['i8'] = np.array([[-128, -1, 0, 127]], dtype=np.int8)
    v['u8'] = np.array([[0, 1, 254, 255]], dtype=np.uint8)
    v['i16'] = np.array([[-32768], [12345], [32767]], dtype=np.int16)
    v['u16'] = np.array([[0, 65535, 4242]], dtype=np.uint16)
    v['i32'] = np.array([[-2147483648, 2147483647, 7]], dtype=np.int32)
    v['u32'] = np.array([[0, 4294967295, 99]], dtype=np.uint32)
    v['i64'] = np.array([[-9223372036854775808, 9223372036854775807, -9007199254740993]], dtype=np.int64)
    v['u64'] = np.array([[0, 18446744073709551615, 9007199254740993]], dtype=np.uint64)
    v['c_double'] = np.array([[1 + 2j, -3.5 - 4j], [1j, 5]])
    v['c_single'] = np.array([[1 + 1j, 2 - 2j, 3]], dtype=np.complex64)
    v['b_logical'] = np.array([[True, False, True], [False, False, True]])
    v['str_ascii'] = 'Hello, MAT-file'
    v['str_unicode'] = 'héllo wörld ✓ Ωμέγα'
    v['str_multi'] = np.array(['abc', 'def', 'ghi'])
    v['str_empty'] = ''
    v['cell_mixed'] = cell(1.0, 'two', np.array([[3, 4, 5]], dtype=np.int16), cell(6.0, 'seven'), shape=(2, 2))
    v['cell_with_empty'] = cell(np.empty((0, 0)), 'x', np.zeros((0, 3)))
    v['cell_empty'] = np.empty((0, 0), dtype=object)
    v['s_nested'] = {'alpha': 1.0, 'beta': {'gamma': 'inner', 'delta': np.array([[1.0, 2.0], [3.0, 4.0]])}}
    sa = np.empty((1, 3), dtype=[('x', object), ('y', object)])
    sa[0, 0] = (np.array([[1.0]]), np.array([[-1]], dtype=np.int8))
    sa[0, 1] = ('second', np.empty((0, 0)))
    sa[0, 2] = (np.array([[7.0, 8.0, 9.0]]), cell('a', 'b'))
    v['s_array'] = sa
    v['s_nofields'] = {}
    v['e_empty'] = np.empty((0, 0))
    v['e_zero_by_three'] = np.zeros((0, 3))
    v['e_single'] = np.zeros((3, 0), dtype=np.float32)
    v['sp_double'] = sparse.csc_matrix(
        (np.array([10.0, -20.0, 30.0, 0.5]), (np.array([0, 2, 3, 1]), np.array([0, 1, 1, 4]))), shape=(4, 5))
    v['sp_complex'] = sparse.csc_matrix(
        (np.array([1 + 2j, 3 - 4j]), (np.array([0, 1]), np.array([1, 1]))), shape=(3, 3))
    v['sp_logical'] = sparse.csc_matrix(
        (np.array([True, True, True]), (np.array([0, 1, 2]), np.array([0, 2, 2]))), shape=(3, 4))
    v['sp_empty'] = sparse.csc_matrix((2, 3))
    v['nd3'] = np.arange(24, dtype=np.float64).reshape(2, 3, 4)
    v['nd4'] = (np.arange(120, dtype=np.float32) / 4).reshape(2, 3, 4, 5)
    v['nd3_int16'] = (np.arange(12, dtype=np.int16) - 6).reshape(3, 2, 2)
    v['nd4_kernel'] = (np.arange(72, dtype=np.float32) * 0.01 - 0.3).reshape(3, 3, 2, 4)
    return v


def make_scipy_fixtures():
    v = spread()
    sio.savemat(os.path.join(OUT, 'scipy-v5.mat'), v, do_compression=False, oned_as='row')
    write_expected('scipy-v5.mat', 'scipy.io.savemat (uncompressed)')
    sio.savemat(os.path.join(OUT, 'scipy-v5z.mat'), v, do_compression=True, oned_as='row')
    write_expected('scipy-v5z.mat', 'scipy.io.savemat (do_compression=True)')

    obj = np.empty((1, 1), dtype=[('x', object), ('label', object)])
    obj[0, 0] = (np.array([[3.0]]), 'pt3')
    objs = np.empty((2, 1), dtype=[('a', object)])
    objs[0, 0] = (np.array([[1.0]]),)
    objs[1, 0] = ('two',)
    sio.savemat(os.path.join(OUT, 'scipy-object.mat'),
                {'obj': MatlabObject(obj, 'point'), 'objs': MatlabObject(objs, 'thing')}, oned_as='row')
    write_expected('scipy-object.mat', 'scipy.io.savemat (MatlabObject)')

    with open(os.path.join(OUT, 'scipy-global.mat'), 'wb') as f:
        MatFile5Writer(f, global_vars=['g']).put_variables({'g': np.array([[42.0]]), 'local': np.array([[1.0]])})
    write_expected('scipy-global.mat', "scipy MatFile5Writer(global_vars=['g'])")


def vgg_mini_current():
    """The nesting of MatConvNet's current model files (layers 1xN cell of 1x1 structs, weights {kernel, bias})."""
    rng = np.random.default_rng(7)

    def conv(name, h, w, cin, cout, pad, stride=(1, 1)):
        kernel = (np.arange(h * w * cin * cout, dtype=np.float32) / 100 - 1).reshape((h, w, cin, cout), order='F')
        bias = rng.standard_normal((cout, 1)).astype(np.float32)
        return {'name': name, 'type': 'conv', 'weights': cell(kernel, bias),
                'size': np.array([[h, w, cin, cout]], dtype=np.float64), 'pad': np.array([pad], dtype=np.float64),
                'stride': np.array([stride], dtype=np.float64), 'precious': False,
                'dilate': np.array([[1.0, 1.0]]), 'opts': cell(shape=(1, 0))}

    def relu(name):
        return {'name': name, 'type': 'relu', 'leak': 0.0, 'precious': False}

    def pool(name):
        return {'name': name, 'type': 'pool', 'method': 'max', 'pool': np.array([[2.0, 2.0]]),
                'stride': np.array([[2.0, 2.0]]), 'pad': np.array([[0.0, 1.0, 0.0, 1.0]]), 'precious': False,
                'opts': cell(shape=(1, 0))}

    layers = cell(conv('conv1_1', 3, 3, 3, 4, [1, 1, 1, 1]), relu('relu1_1'), pool('pool1'),
                  conv('conv2_1', 3, 3, 4, 2, [1, 1, 1, 1]), relu('relu2_1'),
                  conv('fc6', 2, 2, 2, 3, [0, 0, 0, 0]), {'name': 'prob', 'type': 'softmax', 'precious': False})
    meta = {'inputs': {'name': 'input', 'size': np.array([[8.0, 8.0, 3.0, 10.0]])},
            'classes': {'name': cell('n01', 'n02', 'n03'), 'description': cell('tench', 'goldfish', 'shark')},
            'normalization': {'averageImage': np.array([123.68, 116.779, 103.939], dtype=np.float32).reshape(1, 1, 3),
                              'keepAspect': True, 'border': np.array([[32.0, 32.0]]), 'cropSize': np.array([[0.875]]),
                              'imageSize': np.array([[8.0, 8.0, 3.0, 10.0]]), 'interpolation': 'bilinear'}}
    return {'layers': layers, 'meta': meta}


def vgg_mini_old():
    """The beta16 layout: weights as a 1x2 cell {kernel, bias row}, normalization and classes at top level."""
    def conv(name, h, w, cin, cout, pad):
        kernel = (np.arange(h * w * cin * cout, dtype=np.float32) / 50 - 0.5).reshape((h, w, cin, cout), order='F')
        bias = (np.arange(cout, dtype=np.float32) + 0.25).reshape(1, cout)
        return {'name': name, 'type': 'conv', 'weights': cell(kernel, bias),
                'size': np.array([[h, w, cin, cout]], dtype=np.float64), 'pad': np.array([pad], dtype=np.float64),
                'stride': np.array([[1.0, 1.0]])}

    layers = cell(conv('conv1_1', 3, 3, 3, 2, [1, 1, 1, 1]), {'name': 'relu1_1', 'type': 'relu'},
                  {'name': 'pool1', 'type': 'pool', 'method': 'max', 'pool': np.array([[2.0, 2.0]]),
                   'stride': np.array([[2.0, 2.0]]), 'pad': np.array([[0.0, 1.0, 0.0, 1.0]])},
                  conv('fc6', 2, 2, 2, 3, [0, 0, 0, 0]), {'name': 'prob', 'type': 'softmax'})
    average = np.empty((4, 4, 3), dtype=np.float32)
    average[:, :, 0], average[:, :, 1], average[:, :, 2] = 123.68, 116.779, 103.939
    normalization = {'averageImage': average, 'keepAspect': 1.0, 'border': np.array([[32.0, 32.0]]),
                     'imageSize': np.array([[4.0, 4.0, 3.0]]), 'interpolation': 'bilinear'}
    classes = {'name': cell('n01', 'n02', 'n03'), 'description': cell('tench', 'goldfish', 'shark')}
    return {'layers': layers, 'normalization': normalization, 'classes': classes}


def make_vgg_mini_fixtures():
    sio.savemat(os.path.join(OUT, 'vgg-mini-current.mat'), vgg_mini_current(), do_compression=True, oned_as='row')
    write_expected('vgg-mini-current.mat', 'scipy.io.savemat (do_compression=True), current MatConvNet layout')
    sio.savemat(os.path.join(OUT, 'vgg-mini-old.mat'), vgg_mini_old(), do_compression=False, oned_as='row')
    write_expected('vgg-mini-old.mat', 'scipy.io.savemat (uncompressed), beta16 MatConvNet layout')


# ----------------------------------------------------------------------------------------------------------
# Octave-written fixtures
# ----------------------------------------------------------------------------------------------------------

def make_octave_fixtures():
    work = tempfile.mkdtemp(prefix='matfix-octave-')
    try:
        subprocess.run([OCTAVE, '--no-gui', '--quiet', '--no-window-system',
                        os.path.join(HERE, 'make_mat_fixtures.m'), OUT, work], check=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    fix_timestamp(os.path.join(OUT, 'octave-sparse-logical.mat'))
    write_expected('octave-v6.mat', 'GNU Octave save -v6')
    write_expected('octave-v7.mat', 'GNU Octave save -v7')
    write_expected('octave-object.mat', 'GNU Octave save -v6 of an old-style @pt class object')
    write_expected('octave-object-v7.mat', 'GNU Octave save -v7 of an old-style @pt class object and a char')


# ----------------------------------------------------------------------------------------------------------
# Hand-written fixtures
# ----------------------------------------------------------------------------------------------------------

MI = {'int8': 1, 'uint8': 2, 'int16': 3, 'uint16': 4, 'int32': 5, 'uint32': 6, 'single': 7, 'double': 9,
      'int64': 12, 'uint64': 13, 'matrix': 14, 'compressed': 15, 'utf8': 16, 'utf16': 17, 'utf32': 18}
NP_OF_MI = {'int8': 'i1', 'uint8': 'u1', 'int16': 'i2', 'uint16': 'u2', 'int32': 'i4', 'uint32': 'u4',
            'single': 'f4', 'double': 'f8', 'int64': 'i8', 'uint64': 'u8'}
MX = {'cell': 1, 'struct': 2, 'object': 3, 'char': 4, 'sparse': 5, 'double': 6, 'single': 7, 'int8': 8,
      'uint8': 9, 'int16': 10, 'uint16': 11, 'int32': 12, 'uint32': 13, 'int64': 14, 'uint64': 15,
      'function_handle': 16, 'opaque': 17}


class HandWriter:
    """A minimal Level 5 writer, written from the MathWorks format description, for cases no writer here makes.

    Byte order is chosen per file ('<' or '>'). Elements of at most 4 bytes become small data elements unless
    small=False. Every method returns bytes; file() puts a header in front.
    """

    def __init__(self, endian='<'):
        self.e = endian

    def u32(self, *values):
        return struct.pack(self.e + 'I' * len(values), *values)

    def header(self, text='MATLAB 5.0 MAT-file, written by make_mat_fixtures.py HandWriter', subsystem=b'\0' * 8,
               version=0x0100):
        raw = text.encode('ascii')
        return raw + b' ' * (116 - len(raw)) + subsystem + struct.pack(self.e + 'H', version) + \
            (b'IM' if self.e == '<' else b'MI')

    def element(self, mi, data, small=True):
        if small and 0 < len(data) <= 4:
            return self.u32((len(data) << 16) | MI[mi]) + data + b'\0' * (4 - len(data))
        pad = (8 - len(data) % 8) % 8
        return self.u32(MI[mi], len(data)) + data + b'\0' * pad

    def values(self, mi, array):
        return np.ascontiguousarray(np.asarray(array).flatten(order='F')).astype(self.e + NP_OF_MI[mi]).tobytes()

    def matrix(self, mx, dims, name, payload, complex_=False, global_=False, logical=False, nzmax=0):
        flags = MX[mx] | (0x800 if complex_ else 0) | (0x400 if global_ else 0) | (0x200 if logical else 0)
        body = self.element('uint32', self.u32(flags, nzmax), small=False)
        body += self.element('int32', struct.pack(self.e + 'i' * len(dims), *dims), small=False)
        body += self.element('int8', name.encode('latin1'))
        body += payload
        return self.u32(MI['matrix'], len(body)) + body

    def numeric(self, name, mx, array, stored, imag=None, stored_imag=None, logical=False, global_=False):
        array = np.asarray(array)
        payload = self.element(stored, self.values(stored, array))
        if imag is not None:
            payload += self.element(stored_imag or stored, self.values(stored_imag or stored, imag))
        return self.matrix(mx, array.shape, name, payload, complex_=imag is not None, logical=logical,
                           global_=global_)

    def char(self, name, dims, text_f, encoding='ucs2'):
        """text_f: the characters in column-major order."""
        if encoding == 'ucs2':
            data = self.element('uint16', np.array([ord(c) for c in text_f], dtype=self.e + 'u2').tobytes())
        elif encoding == 'utf8':
            data = self.element('utf8', text_f.encode('utf-8'))
        elif encoding == 'utf16':
            data = self.element('utf16', text_f.encode('utf-16-le' if self.e == '<' else 'utf-16-be'))
        elif encoding == 'utf32':
            data = self.element('utf32', text_f.encode('utf-32-le' if self.e == '<' else 'utf-32-be'))
        elif encoding in ('uint8', 'int8'):
            data = self.element(encoding, text_f.encode('latin1'))
        elif encoding == 'nodata':
            data = self.u32(MI['uint16'], 0)
        else:
            raise ValueError(encoding)
        return self.matrix('char', dims, name, data)

    def cell(self, name, dims, elements):
        return self.matrix('cell', dims, name, b''.join(elements))

    def struct_(self, name, dims, fields, elements, classname=None, field_length=32):
        """elements: one list of field values (miMATRIX bytes) per struct element, column-major."""
        payload = self.element('int8', classname.encode('ascii')) if classname is not None else b''
        payload += self.element('int32', struct.pack(self.e + 'i', field_length))
        payload += self.element('int8', b''.join(f.encode('ascii').ljust(field_length, b'\0') for f in fields))
        payload += b''.join(b''.join(values) for values in elements)
        return self.matrix('object' if classname is not None else 'struct', dims, name, payload)

    def sparse(self, name, m, n, ir, jc, pr, pi=None, logical=False, value_type='double'):
        payload = self.element('int32', np.asarray(ir, dtype=self.e + 'i4').tobytes(), small=False)
        payload += self.element('int32', np.asarray(jc, dtype=self.e + 'i4').tobytes(), small=False)
        payload += self.element(value_type, self.values(value_type, np.asarray(pr)))
        if pi is not None:
            payload += self.element(value_type, self.values(value_type, np.asarray(pi)))
        return self.matrix('sparse', (m, n), name, payload, complex_=pi is not None, logical=logical,
                           nzmax=max(1, len(ir)))

    def empty_matrix(self):
        """A miMATRIX with byte count 0: the reader's [] (what some writers put inside cells)."""
        return self.u32(MI['matrix'], 0)

    def compressed(self, matrix_bytes, mode='full'):
        if mode == 'full':
            data = zlib.compress(matrix_bytes)
        elif mode == 'no-adler':
            data = zlib.compress(matrix_bytes)[:-4]
        elif mode == 'sync-flush':
            c = zlib.compressobj()
            data = c.compress(matrix_bytes) + c.flush(zlib.Z_SYNC_FLUSH)
        else:
            raise ValueError(mode)
        return self.u32(MI['compressed'], len(data)) + data

    def file(self, *variables, **header):
        return self.header(**header) + b''.join(variables)


def save(name, data):
    with open(os.path.join(OUT, name), 'wb') as f:
        f.write(data)


def check(name, expected, actual_json):
    """Stops when scipy's reading of a hand-made file differs from what was meant to be written."""
    got = {v['name']: v for v in actual_json['variables']}
    for var, want in expected.items():
        have = got[var]
        for key, value in want.items():
            if have.get(key) != value:
                sys.exit(f'{name}: scipy reads {var}.{key} as {have.get(key)!r}, the script meant {value!r}')


def make_bigendian():
    w = HandWriter('>')
    d = np.arange(6, dtype=np.float64).reshape(2, 3) * 1.5 - 2
    nd = np.arange(24, dtype=np.float64).reshape(2, 3, 4)
    inner = w.numeric('', 'double', np.array([[9.0, 8.0]]), 'double')
    data = w.file(
        w.numeric('d_mat', 'double', d, 'double'),
        w.numeric('d_nd3', 'double', nd, 'double'),
        w.numeric('s_row', 'single', np.array([[1.5, -2.25, 1e-3]], dtype=np.float32), 'single'),
        w.numeric('i16', 'int16', np.array([[-32768, 2, 32767]], dtype=np.int16), 'int16'),
        w.numeric('u32', 'uint32', np.array([[1], [4000000000]], dtype=np.uint32), 'uint32'),
        w.numeric('i64', 'int64', np.array([[-9223372036854775808, 1234567890123]], dtype=np.int64), 'int64'),
        w.numeric('u64', 'uint64', np.array([[18446744073709551615]], dtype=np.uint64), 'uint64'),
        w.numeric('c_double', 'double', np.array([[1.0, 2.0]]), 'double', imag=np.array([[-1.0, 0.5]])),
        w.numeric('narrow', 'double', np.array([[1.0, 300.0, -7.0]]), 'int16'),
        w.numeric('b_logical', 'uint8', np.array([[1, 0, 1]], dtype=np.uint8), 'uint8', logical=True),
        w.char('str', (1, 7), 'Big End'),
        w.char('str16', (1, 3), 'äöü', encoding='utf16'),
        w.cell('c', (1, 2), [inner, w.char('', (1, 2), 'hi')]),
        w.struct_('s', (1, 1), ['a', 'bb'], [[w.numeric('', 'int32', np.array([[7]], dtype=np.int32), 'int32'),
                                               w.char('', (1, 3), 'xyz')]]),
        w.sparse('sp', 3, 2, [0, 2, 1], [0, 2, 3], [1.0, 2.0, 3.0]),
        w.compressed(w.numeric('z', 'single', np.array([[1.0, 2.0], [3.0, 4.0]], dtype=np.float32), 'single')),
    )
    save('hand-bigendian.mat', data)
    check('hand-bigendian.mat', {
        'd_mat': {'class': 'double', 'dims': [2, 3], 'real_c': [jvalue(x) for x in d.flatten()]},
        'd_nd3': {'real_c': [jvalue(x) for x in nd.flatten()]},
        'i64': {'class': 'int64', 'real_f': [-9223372036854775808, 1234567890123]},
        'u64': {'real_f': [18446744073709551615]},
        'narrow': {'class': 'double', 'real_f': [1.0, 300.0, -7.0]},
        'c_double': {'complex': True, 'imag_f': [-1.0, 0.5]},
        'b_logical': {'class': 'logical'},
        'str': {'rows': ['Big End']}, 'str16': {'rows': ['äöü']},
        'sp': {'jc': [0, 2, 3], 'ir': [0, 2, 1]},
        'z': {'class': 'single', 'real_c': [1.0, 2.0, 3.0, 4.0]},
    }, write_expected('hand-bigendian.mat', 'make_mat_fixtures.py HandWriter, big-endian'))


def make_narrow():
    """Numeric data stored in a narrower (or just different) type than the class, as MATLAB writes it."""
    w = HandWriter('<')
    cases = []
    expected = {}
    for i, (mx, stored, values) in enumerate([
            ('double', 'uint8', [0, 1, 200, 255]),
            ('double', 'int8', [-128, -1, 5, 127]),
            ('double', 'int16', [-32768, 300, 32767]),
            ('double', 'uint16', [0, 65535, 1000]),
            ('double', 'int32', [-2147483648, 70000, 2147483647]),
            ('double', 'uint32', [0, 4294967295]),
            ('double', 'single', [0.5, -1.25, 3e38]),
            ('single', 'int16', [-3, 0, 1234]),
            ('single', 'uint8', [0, 255]),
            ('int32', 'int8', [-5, 100]),
            ('int32', 'int16', [-30000, 30000]),
            ('uint64', 'uint8', [0, 200]),
            ('int64', 'int32', [-2147483648, 12345]),
            ('uint16', 'uint8', [1, 2, 3]),
    ]):
        name = f'n{i}_{mx}_as_{stored}'
        arr = np.array([values], dtype=NP_OF_MI[stored] if stored != 'single' else 'f4')
        cases.append(w.numeric(name, mx, arr, stored))
        expected[name] = {'class': mx, 'real_f': [jvalue(v) for v in arr.astype(np.float64).flatten()]
                          if mx in ('double', 'single') else list(values)}
    m = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    cases.append(w.numeric('n_matrix', 'double', m, 'uint8'))
    expected['n_matrix'] = {'dims': [2, 3], 'real_c': [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]}
    cases.append(w.numeric('n_complex', 'double', np.array([[1, -2]], dtype=np.int16), 'int16',
                           imag=np.array([[3, 4]], dtype=np.uint8), stored_imag='uint8'))
    expected['n_complex'] = {'complex': True, 'real_f': [1.0, -2.0], 'imag_f': [3.0, 4.0]}
    save('hand-narrow.mat', w.file(*cases))
    check('hand-narrow.mat', expected, write_expected('hand-narrow.mat', 'make_mat_fixtures.py HandWriter'))


def make_chars():
    w = HandWriter('<')
    data = w.file(
        w.char('utf8', (1, 8), 'grüße ✓!', encoding='utf8'),
        w.char('utf16', (1, 5), 'Ωμέγα', encoding='utf16'),
        w.char('utf32', (1, 4), 'ab©d', encoding='utf32'),
        w.char('uint8', (1, 4), 'cafe', encoding='uint8'),
        w.char('int8', (1, 3), 'abc', encoding='int8'),
        w.char('ucs2_rows', (2, 3), 'adbecf'),
        w.char('nd_char', (2, 2, 2), 'abcdefgh'),
        w.char('nodata', (1, 3), '', encoding='nodata'),
        w.char('small', (1, 2), 'ok'),
    )
    save('hand-chars.mat', data)
    check('hand-chars.mat', {
        'utf8': {'rows': ['grüße ✓!']}, 'utf16': {'rows': ['Ωμέγα']}, 'utf32': {'rows': ['ab©d']},
        'uint8': {'rows': ['cafe']}, 'int8': {'rows': ['abc']}, 'ucs2_rows': {'rows': ['abc', 'def']},
        'nd_char': {'dims': [2, 2, 2], 'chars_f': 'abcdefgh'}, 'small': {'rows': ['ok']},
    }, write_expected('hand-chars.mat', 'make_mat_fixtures.py HandWriter'))


def make_small_elements():
    """Names, data and struct parts of at most 4 bytes as small data elements (scipy writes some, not all)."""
    w = HandWriter('<')
    data = w.file(
        w.numeric('a', 'int32', np.array([[-7]], dtype=np.int32), 'int32'),
        w.numeric('b', 'single', np.array([[2.5]], dtype=np.float32), 'single'),
        w.numeric('cc', 'double', np.array([[1.0, 2.0]]), 'uint16'),
        w.numeric('ddd', 'uint8', np.array([[1, 2, 3, 4]], dtype=np.uint8), 'uint8'),
        w.numeric('e', 'double', np.array([[5.0]]), 'int8', imag=np.array([[-6.0]]), stored_imag='int8'),
        w.char('f', (1, 2), 'ab'),
        w.struct_('g', (1, 1), ['v'], [[w.numeric('', 'int16', np.array([[3, 4]], dtype=np.int16), 'int16')]],
                  field_length=4),
    )
    save('hand-small-elements.mat', data)
    check('hand-small-elements.mat', {
        'a': {'real_f': [-7]}, 'b': {'real_f': [2.5]}, 'cc': {'class': 'double', 'real_f': [1.0, 2.0]},
        'ddd': {'real_f': [1, 2, 3, 4]}, 'e': {'imag_f': [-6.0]}, 'f': {'rows': ['ab']},
    }, write_expected('hand-small-elements.mat', 'make_mat_fixtures.py HandWriter'))


def make_containers():
    """[] as a zero-length miMATRIX inside cells and fields, objects inside containers, logical sparse."""
    w = HandWriter('<')
    obj = w.struct_('', (1, 1), ['x'], [[w.numeric('', 'double', np.array([[1.0]]), 'double')]], classname='pt')
    data = w.file(
        w.cell('c', (1, 3), [w.empty_matrix(), w.numeric('', 'double', np.array([[2.0]]), 'double'),
                             w.empty_matrix()]),
        w.struct_('s', (2, 1), ['p', 'q'], [[w.empty_matrix(), w.char('', (1, 1), 'q')],
                                            [w.numeric('', 'uint8', np.array([[9]], dtype=np.uint8), 'uint8'),
                                             w.empty_matrix()]]),
        w.cell('objs', (1, 1), [obj]),
        w.sparse('sp_logical', 2, 3, [0, 1], [0, 1, 1, 2], [1, 1], logical=True, value_type='uint8'),
        w.sparse('sp_small', 2, 2, [1], [0, 0, 1], [4.5]),
    )
    save('hand-containers.mat', data)
    expected = write_expected('hand-containers.mat', 'make_mat_fixtures.py HandWriter')
    check('hand-containers.mat', {
        'c': {'dims': [1, 3]}, 's': {'dims': [2, 1], 'fields': ['p', 'q']},
        'sp_logical': {'logical': True, 'jc': [0, 1, 1, 2]}, 'sp_small': {'real': [4.5]},
    }, expected)

    # scipy reads a zero-length miMATRIX as a 1x0 double; it stands for MATLAB's [], which is 0x0, and the
    # reader under test says 0x0. Only these elements are changed, and only their dims.
    def fix(d):
        if d.get('class') == 'double' and d['dims'] == [1, 0]:
            d['dims'] = [0, 0]
        for e in d.get('elements', []):
            for inner in (e.values() if isinstance(e, dict) and 'class' not in e else [e]):
                fix(inner)
    for v in expected['variables']:
        fix(v)
    expected['note'] = ('zero-length miMATRIX elements: scipy reads 1x0, the expected dims are 0x0 (MATLAB []); '
                        'everything else is scipy.io.loadmat output')
    with open(os.path.join(OUT, 'hand-containers.expected.json'), 'w', encoding='utf-8') as f:
        json.dump(expected, f, indent=1, ensure_ascii=False)
        f.write('\n')


def make_compressed_without_end():
    """scipy-compressed variables re-packed without the adler32 checksum, or without the final zlib block."""
    v = {'kernel': (np.arange(48, dtype=np.float32) - 20).reshape(2, 3, 2, 4),
         'label': 'no end', 'nested': cell(np.array([[1.0, 2.0]]), {'f': 'g'})}
    intact = os.path.join(OUT, 'scipy-compressed-intact.tmp.mat')
    sio.savemat(intact, v, do_compression=True, oned_as='row')
    with open(intact, 'rb') as f:
        original = f.read()
    header, pos, elements = original[:128], 128, []
    while pos < len(original):
        mi, count = struct.unpack('<II', original[pos:pos + 8])
        assert mi == MI['compressed']
        elements.append(zlib.decompress(original[pos + 8:pos + 8 + count]))
        pos += 8 + count
    w = HandWriter('<')
    for mode in ('no-adler', 'sync-flush'):
        name = f'hand-compressed-{mode}.mat'
        save(name, header + b''.join(w.compressed(e, mode) for e in elements))
        try:
            write_expected(name, f'scipy.io.savemat (do_compression=True) re-packed by HandWriter ({mode})')
        except Exception as error:  # scipy cannot read it: expect what it reads from the intact file
            write_expected(name, f'scipy.io.savemat (do_compression=True) re-packed by HandWriter ({mode})',
                           read_from=intact,
                           note=f'scipy.io.loadmat fails on this file ({error!r}); expected values are scipy '
                                'reading the same variables from the intact compressed file')
    os.remove(intact)


def make_subsystem():
    """A header subsystem offset pointing at a trailing unnamed uint8 element, as MATLAB writes for classdef data."""
    w = HandWriter('<')
    var = w.numeric('x', 'double', np.array([[1.0, 2.0]]), 'double')
    subsystem = w.numeric('', 'uint8', np.array([[0, 1, 73, 77, 0, 0, 0, 0]], dtype=np.uint8), 'uint8')
    offset = 128 + len(var)
    save('hand-subsystem.mat', w.header(subsystem=struct.pack('<Q', offset)) + var + subsystem)
    write_expected('hand-subsystem.mat', 'make_mat_fixtures.py HandWriter (subsystem data skipped)')


def make_refusals():
    """Files the reader must refuse with a clear message; no expected JSON."""
    w = HandWriter('<')
    save('hand-function-handle.mat', w.file(
        w.matrix('function_handle', (1, 1), 'fh', w.numeric('', 'uint8', np.array([[1]], dtype=np.uint8), 'uint8'))))
    # MATLAB's opaque arrays (classdef objects, strings) have no dimensions: flags, name, type system, class
    # name, then a content array. scipy reads this as a MatlabOpaque (under the key 'None': it does not take
    # the first string for the variable name) with s0 'op', s1 'MCOS', s2 'string', which the script checks.
    opaque_body = w.element('uint32', w.u32(MX['opaque'], 0), small=False) + w.element('int8', b'op') + \
        w.element('int8', b'MCOS') + w.element('int8', b'string') + \
        w.numeric('', 'uint32', np.array([[3707764736], [2], [1], [1], [1], [1]], dtype=np.uint32), 'uint32')
    save('hand-opaque.mat', w.file(w.numeric('ok', 'double', np.array([[1.0]]), 'double'),
                                   w.u32(MI['matrix'], len(opaque_body)) + opaque_body))
    opaque = sio.loadmat(os.path.join(OUT, 'hand-opaque.mat'))['None']
    if [opaque['s0'][0], opaque['s1'][0], opaque['s2'][0]] != [b'op', b'MCOS', b'string']:
        sys.exit(f'hand-opaque.mat: scipy reads {opaque!r}, the script meant an opaque string object')
    # MATLAB v7.3: a 128-byte MAT header (version 0x0200) in a 512-byte user block, then an HDF5 file.
    with open(os.path.join(OUT, 'octave-hdf5.mat'), 'rb') as f:
        hdf5 = f.read()
    text = 'MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: Mon Dec  1 12:00:00 2025 HDF5 schema 1.00 .'
    v73 = w.header(text=text, subsystem=b'\0' * 8, version=0x0200)
    save('hand-v73.mat', v73 + b'\0' * (512 - len(v73)) + hdf5[:96])
    save('not-a-mat.png', tiny_png())


def tiny_png():
    def chunk(kind, body):
        return struct.pack('>I', len(body)) + kind + body + struct.pack('>I', zlib.crc32(kind + body) & 0xFFFFFFFF)
    ihdr = struct.pack('>IIBBBBB', 2, 2, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b'\0\xff\0\0\0\xff\0' + b'\0\0\0\xff\xff\xff\xff')
    return b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) + chunk(b'IDAT', pixels) + chunk(b'IEND', b'')


def main():
    os.makedirs(OUT, exist_ok=True)
    for name in os.listdir(OUT):
        if name.endswith(('.mat', '.json', '.png')):
            os.remove(os.path.join(OUT, name))
    make_scipy_fixtures()
    make_vgg_mini_fixtures()
    make_octave_fixtures()
    make_bigendian()
    make_narrow()
    make_chars()
    make_small_elements()
    make_containers()
    make_compressed_without_end()
    make_subsystem()
    make_refusals()
    total = sum(os.path.getsize(os.path.join(OUT, n)) for n in os.listdir(OUT))
    print(f'wrote {len(os.listdir(OUT))} files, {total} bytes, to {OUT}')


if __name__ == '__main__':
    main()
