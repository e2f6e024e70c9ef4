#!/usr/bin/python3
"""Make the small ONNX models that test the C# ONNX importer (tests/NeuralStyle.Tests/Onnx/).

Run with Debian's interpreter (python3-onnx 1.12, python3-torch 1.13, numpy):

    /usr/bin/python3 tests/fixture-scripts/make_onnx_fixtures.py

Writes into tests/NeuralStyle.Tests/Fixtures/onnx/ (or the folder given with --out). The C# tests run every
model on a random input in ONNX Runtime and in the importer and compare all graph outputs, so no expected values
are stored here and Python is not needed at test time. Each model declares static input shapes; the tests make
the input from those.

  conv.onnx              opset 11  Conv: group + dilations + strides + asymmetric pads + bias; SAME_UPPER;
                                   SAME_LOWER; VALID; depthwise without kernel_shape
                                   (weights partly as float_data, partly raw_data)
  conv1d.onnx            opset 11  1-d Conv, ConvTranspose, MaxPool (ceil_mode), AveragePool
  conv_transpose.onnx    opset 11  ConvTranspose: strides + asymmetric pads + output_padding; group + dilation;
                                   auto_pad SAME_UPPER; output_shape
  pool.onnx              opset 12  MaxPool / AveragePool: asymmetric pads, ceil_mode (incl. a last window that
                                   would start in the padding), dilations, SAME_UPPER / SAME_LOWER / VALID,
                                   count_include_pad 0 and 1; GlobalAveragePool, GlobalMaxPool
  normalization.onnx     opset 15  BatchNormalization (epsilon), LRN with sizes 3, 7 (more than the channels) and default
  activations.onnx       opset 13  Relu, LeakyRelu, PRelu (channel and last-axis slopes), Sigmoid, Tanh,
                                   Clip with min/max inputs and with only max, Softmax per axis (new semantics)
  legacy_opset8.onnx     opset 8   Clip with attributes, Softmax flattening at axis (old semantics), Squeeze /
                                   Unsqueeze / Split with attributes, Pad with attributes (constant, reflect),
                                   Dropout, BatchNormalization with spatial, MaxPool with storage_order,
                                   Flatten + Gemm with required C
  shape_ops.onnx         opset 13  Flatten (negative axis), Reshape (0 and -1), Transpose, Squeeze / Unsqueeze
                                   with axes inputs (negative), Concat (negative axis, 3 inputs), Split (sizes
                                   input, equal), Identity, Constant, Gather (negative and 2-d indices), and a
                                   Shape -> Gather -> Cast -> Unsqueeze -> Concat -> Reshape chain; int64 outputs
  elementwise.onnx       opset 13  Add / Sub / Mul / Div with numpy broadcasting between two inputs and against
                                   constants of several ranks, including a scalar
  gemm_matmul.onnx       opset 13  Gemm transB + alpha + beta + vector C; transA without C; scalar C;
                                   MatMul 2-d, batched, and with a vector
  pad.onnx               opset 13  Pad constant (with value input), reflect, edge, negative pads (crop), and
                                   padding of the channel axis
  torch_cnn.onnx         opset 11  torch.onnx.export of a small CNN whose x.view(x.size(0), -1) exports as
                                   Shape / Gather / Unsqueeze / Concat / Reshape (Conv, BatchNormalization,
                                   Relu, MaxPool ceil_mode, grouped strided Conv, LeakyRelu, AveragePool, Gemm,
                                   Softmax)
  baked_same.onnx        opset 11  declared 1x2x15x15; "same" padding written as explicit pads the way CNTK
                                   does: Conv 2x2/2 pads [0,0,1,1] (= SAME_UPPER at 15), MaxPool 3x3/2 pads
                                   [1,1,0,0] (= SAME_LOWER at 8), and two nodes that must keep their pads
                                   (AveragePool with SAME_LOWER in H but SAME_UPPER in W, symmetric Conv)
  legacy_opset6.onnx     opset 6   Add / Mul with broadcast=1 and axis, PRelu with a per-channel slope (ONNX
                                   Runtime refuses opsets below 7; the test computes the expectation itself)
  unsupported_einsum.onnx opset 12 an Einsum node, which the importer must reject by name at load time

Everything is deterministic (numpy's legacy RandomState, torch.manual_seed), so re-running reproduces the
models' contents. The folder holds well under 100 KB.
"""

import argparse
import io
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

FLOAT = TensorProto.FLOAT
INT64 = TensorProto.INT64


def raw(name, array, dtype=np.float32):
    """An initializer stored as raw_data."""
    return numpy_helper.from_array(np.asarray(array, dtype=dtype), name)


def typed(name, array):
    """A float initializer stored in float_data instead of raw_data."""
    a = np.asarray(array, dtype=np.float32)
    return helper.make_tensor(name, FLOAT, a.shape, a.flatten().tolist())


def ints(name, values):
    """An int64 initializer stored in int64_data."""
    a = np.asarray(values, dtype=np.int64)
    return helper.make_tensor(name, INT64, a.shape, a.flatten().tolist())


def inp(name, shape, elem=FLOAT):
    return helper.make_tensor_value_info(name, elem, shape)


def out(name, elem=FLOAT, shape=None):
    """A graph output; save() fills in the shape from onnx's shape inference when none is given."""
    return helper.make_tensor_value_info(name, elem, shape)


def save(folder, file, nodes, inputs, outputs, inits, opset, check=True):
    graph = helper.make_graph(nodes, os.path.splitext(file)[0], inputs, outputs, inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                              producer_name="make_onnx_fixtures.py", producer_version="1")
    # IR 7 is understood by every ONNX Runtime from 1.6 on and by onnx 1.12.
    model.ir_version = 7
    # The checker wants output shapes; let onnx's shape inference write them.
    inferred = onnx.shape_inference.infer_shapes(model)
    types = {v.name: v.type for v in list(inferred.graph.value_info) + list(inferred.graph.output)}
    for o in model.graph.output:
        if not o.type.tensor_type.HasField("shape") and o.name in types:
            o.type.CopyFrom(types[o.name])
    missing = [o.name for o in model.graph.output if not o.type.tensor_type.HasField("shape")]
    assert not missing, (file, missing)
    if check:
        onnx.checker.check_model(model)
    data = model.SerializeToString()
    with open(os.path.join(folder, file), "wb") as f:
        f.write(data)
    return len(data)


def he(rs, *shape):
    fan_in = int(np.prod(shape[1:]))
    return rs.normal(0, np.sqrt(2.0 / fan_in), shape)


def conv(folder, rs):
    x = inp("x", [1, 4, 11, 13])
    nodes = [
        helper.make_node("Conv", ["x", "w_group", "b_group"], ["group_dilated_asym"], name="conv_group",
                         kernel_shape=[3, 2], group=2, dilations=[2, 1], strides=[2, 3], pads=[1, 0, 2, 1]),
        helper.make_node("Conv", ["x", "w_upper"], ["same_upper"], name="conv_same_upper",
                         kernel_shape=[4, 3], strides=[2, 2], auto_pad="SAME_UPPER"),
        # ONNX Runtime refuses dilations together with SAME padding, so this one is not dilated.
        helper.make_node("Conv", ["x", "w_lower", "b_lower"], ["same_lower"], name="conv_same_lower",
                         kernel_shape=[3, 3], strides=[2, 3], auto_pad="SAME_LOWER"),
        helper.make_node("Conv", ["x", "w_valid"], ["valid"], name="conv_valid",
                         kernel_shape=[3, 5], strides=[1, 2], auto_pad="VALID"),
        # No kernel_shape: the importer takes it from the weights.
        helper.make_node("Conv", ["x", "w_dw", "b_dw"], ["depthwise"], name="conv_depthwise",
                         group=4, pads=[1, 1, 1, 1]),
    ]
    inits = [
        raw("w_group", he(rs, 6, 2, 3, 2)), typed("b_group", rs.normal(0, 1, 6)),
        typed("w_upper", he(rs, 3, 4, 4, 3)),
        raw("w_lower", he(rs, 3, 4, 3, 3)), raw("b_lower", rs.normal(0, 1, 3)),
        raw("w_valid", he(rs, 2, 4, 3, 5)),
        raw("w_dw", he(rs, 4, 1, 3, 3)), raw("b_dw", rs.normal(0, 1, 4)),
    ]
    outs = [out(n.output[0]) for n in nodes]
    return save(folder, "conv.onnx", nodes, [x], outs, inits, 11)


def conv1d(folder, rs):
    nodes = [
        helper.make_node("Conv", ["x", "w", "b"], ["conv"], kernel_shape=[3], strides=[2], dilations=[2], pads=[2, 1]),
        helper.make_node("ConvTranspose", ["x", "wt"], ["convt"], kernel_shape=[4], strides=[3], pads=[1, 2],
                         output_padding=[1]),
        helper.make_node("MaxPool", ["x"], ["maxpool"], kernel_shape=[3], strides=[2], pads=[1, 0], ceil_mode=1),
        helper.make_node("AveragePool", ["x"], ["avgpool"], kernel_shape=[4], strides=[3], pads=[2, 1]),
    ]
    inits = [raw("w", he(rs, 5, 3, 3)), raw("b", rs.normal(0, 1, 5)), raw("wt", he(rs, 3, 2, 4))]
    return save(folder, "conv1d.onnx", nodes, [inp("x", [2, 3, 17])], [out(n.output[0]) for n in nodes], inits, 11)


def conv_transpose(folder, rs):
    nodes = [
        helper.make_node("ConvTranspose", ["x", "w1", "b1"], ["strided_asym_outpad"], name="ct_asym",
                         kernel_shape=[3, 3], strides=[2, 3], pads=[1, 0, 0, 2], output_padding=[1, 0]),
        helper.make_node("ConvTranspose", ["x", "w2"], ["grouped_dilated"], name="ct_group",
                         kernel_shape=[2, 3], group=2, strides=[2, 2], dilations=[2, 1]),
        helper.make_node("ConvTranspose", ["x", "w3", "b3"], ["same_upper"], name="ct_same_upper",
                         kernel_shape=[3, 3], strides=[2, 2], auto_pad="SAME_UPPER"),
        helper.make_node("ConvTranspose", ["x", "w3"], ["output_shape"], name="ct_output_shape",
                         kernel_shape=[3, 3], strides=[2, 2], output_shape=[10, 12]),
    ]
    inits = [raw("w1", he(rs, 4, 3, 3, 3)), raw("b1", rs.normal(0, 1, 3)),
             raw("w2", he(rs, 4, 2, 2, 3)),
             raw("w3", he(rs, 4, 2, 3, 3)), raw("b3", rs.normal(0, 1, 2))]
    outs = [out(n.output[0]) for n in nodes]
    return save(folder, "conv_transpose.onnx", nodes, [inp("x", [1, 4, 5, 6])], outs, inits, 11)


def pool(folder, rs):
    mp = lambda o, **kw: helper.make_node("MaxPool", ["x"], [o], name=o, **kw)
    ap = lambda o, **kw: helper.make_node("AveragePool", ["x"], [o], name=o, **kw)
    nodes = [
        mp("max_asym", kernel_shape=[3, 3], strides=[2, 2], pads=[1, 0, 0, 1]),
        mp("max_ceil", kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1),
        # W = 10: ceil((10 + 1 - 2) / 2) + 1 = 6 windows, but the 6th would start in the end padding.
        mp("max_ceil_drop", kernel_shape=[2, 2], strides=[2, 2], pads=[0, 0, 1, 1], ceil_mode=1),
        mp("max_dilated", kernel_shape=[2, 2], strides=[1, 2], dilations=[2, 1]),
        mp("max_same_upper", kernel_shape=[3, 2], strides=[2, 2], auto_pad="SAME_UPPER"),
        mp("max_same_lower", kernel_shape=[3, 3], strides=[2, 3], auto_pad="SAME_LOWER"),
        ap("avg_exclude_pad", kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1], count_include_pad=0),
        ap("avg_include_pad", kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1], count_include_pad=1),
        ap("avg_ceil_include_asym", kernel_shape=[3, 3], strides=[2, 2], pads=[1, 0, 0, 1], ceil_mode=1,
           count_include_pad=1),
        ap("avg_ceil_exclude", kernel_shape=[2, 3], strides=[3, 2], ceil_mode=1),
        ap("avg_same_lower", kernel_shape=[3, 3], strides=[2, 2], auto_pad="SAME_LOWER"),
        ap("avg_same_upper_include", kernel_shape=[2, 3], strides=[2, 2], auto_pad="SAME_UPPER", count_include_pad=1),
        ap("avg_valid", kernel_shape=[4, 3], strides=[3, 3], auto_pad="VALID"),
        helper.make_node("GlobalAveragePool", ["x"], ["global_avg"]),
        helper.make_node("GlobalMaxPool", ["x"], ["global_max"]),
    ]
    return save(folder, "pool.onnx", nodes, [inp("x", [1, 3, 13, 10])], [out(n.output[0]) for n in nodes], [], 12)


def normalization(folder, rs):
    c = 6
    nodes = [
        helper.make_node("BatchNormalization", ["x", "scale", "bias", "mean", "var"], ["bn"], epsilon=1e-3, momentum=0.9),
        helper.make_node("LRN", ["x"], ["lrn3"], size=3, alpha=1e-2, beta=0.75, bias=1.5),
        # ONNX allows even sizes, but ONNX Runtime refuses them, so only odd ones are compared.
        helper.make_node("LRN", ["x"], ["lrn7"], size=7, alpha=0.3, beta=0.5, bias=2.0),
        helper.make_node("LRN", ["bn"], ["lrn_default"], size=5),
    ]
    inits = [raw("scale", rs.uniform(0.5, 1.5, c)), raw("bias", rs.normal(0, 1, c)),
             raw("mean", rs.normal(0, 1, c)), raw("var", rs.uniform(0.2, 2.0, c))]
    return save(folder, "normalization.onnx", nodes, [inp("x", [2, c, 5, 7])], [out(n.output[0]) for n in nodes], inits, 15)


def activations(folder, rs):
    nodes = [
        helper.make_node("Relu", ["x"], ["relu"]),
        helper.make_node("LeakyRelu", ["x"], ["leaky"], alpha=0.2),
        helper.make_node("PRelu", ["x", "slope_c"], ["prelu_channel"]),
        helper.make_node("PRelu", ["x", "slope_w"], ["prelu_last_axis"]),
        helper.make_node("Sigmoid", ["x"], ["sigmoid"]),
        helper.make_node("Tanh", ["x"], ["tanh"]),
        helper.make_node("Clip", ["x", "lo", "hi"], ["clip"]),
        helper.make_node("Clip", ["x", "", "hi"], ["clip_max_only"]),
        helper.make_node("Softmax", ["x"], ["softmax_last"]),
        helper.make_node("Softmax", ["x"], ["softmax_axis1"], axis=1),
        helper.make_node("Softmax", ["x"], ["softmax_axis_neg3"], axis=-3),
    ]
    inits = [raw("slope_c", rs.uniform(0.05, 0.5, (3, 1, 1))), raw("slope_w", rs.uniform(0.05, 0.5, 5)),
             raw("lo", -0.5), raw("hi", 0.7)]
    return save(folder, "activations.onnx", nodes, [inp("x", [2, 3, 4, 5])], [out(n.output[0]) for n in nodes], inits, 13)


def legacy_opset8(folder, rs):
    nodes = [
        helper.make_node("Clip", ["x"], ["clip"], min=-0.3, max=0.4),
        helper.make_node("Softmax", ["x"], ["softmax_flat_axis2"], axis=2),
        helper.make_node("Softmax", ["x"], ["softmax_default"]),
        helper.make_node("Unsqueeze", ["x"], ["unsq"], axes=[0, 3]),
        helper.make_node("Squeeze", ["unsq"], ["squeeze_axes"], axes=[3]),
        helper.make_node("Squeeze", ["unsq"], ["squeeze_all"]),
        helper.make_node("Split", ["x"], ["split_a", "split_b"], axis=1, split=[1, 2]),
        helper.make_node("Pad", ["x"], ["pad_constant"], pads=[0, 0, 1, 2, 0, 1, 0, 1], value=0.5),
        helper.make_node("Pad", ["x"], ["pad_reflect"], mode="reflect", pads=[0, 0, 2, 1, 0, 0, 1, 3]),
        helper.make_node("Dropout", ["x"], ["dropout"], ratio=0.3),
        helper.make_node("BatchNormalization", ["x", "scale", "bias", "mean", "var"], ["bn"], epsilon=1e-5, spatial=1),
        helper.make_node("MaxPool", ["bn"], ["maxpool"], kernel_shape=[2, 2], strides=[2, 2], storage_order=0),
        helper.make_node("Flatten", ["maxpool"], ["flat"], axis=1),
        helper.make_node("Gemm", ["flat", "fc_w", "fc_b"], ["gemm"], transB=1),
    ]
    inits = [raw("scale", rs.uniform(0.5, 1.5, 3)), raw("bias", rs.normal(0, 1, 3)),
             raw("mean", rs.normal(0, 1, 3)), raw("var", rs.uniform(0.2, 2.0, 3)),
             raw("fc_w", he(rs, 7, 12)), raw("fc_b", rs.normal(0, 1, 7))]
    # onnx's shape inference cannot tell the rank after a Squeeze without axes.
    shapes = {"squeeze_all": [2, 3, 4, 5]}
    outs = [out(o, shape=shapes.get(o)) for n in nodes for o in n.output if o not in ("unsq", "bn", "maxpool", "flat")]
    return save(folder, "legacy_opset8.onnx", nodes, [inp("x", [2, 3, 4, 5])], outs, inits, 8)


def shape_ops(folder, rs):
    const = helper.make_tensor("c", FLOAT, [1, 3, 1, 1], [0.5, -1.0, 2.0])
    nodes = [
        helper.make_node("Flatten", ["x"], ["flatten_neg"], axis=-2),
        helper.make_node("Reshape", ["x", "shape_0_m1"], ["reshape"]),
        helper.make_node("Transpose", ["x"], ["transpose"], perm=[0, 2, 3, 1]),
        helper.make_node("Transpose", ["x"], ["transpose_default"]),
        helper.make_node("Unsqueeze", ["x", "axes_unsq"], ["unsqueezed"]),
        helper.make_node("Squeeze", ["unsqueezed", "axes_sq"], ["squeezed"]),
        helper.make_node("Squeeze", ["unsqueezed"], ["squeezed_all"]),
        helper.make_node("Relu", ["x"], ["r"]),
        helper.make_node("Concat", ["x", "r"], ["concat_last"], axis=-1),
        helper.make_node("Concat", ["x", "r", "x"], ["concat_channels"], axis=1),
        helper.make_node("Split", ["x", "split_sizes"], ["split_1", "split_4"], axis=-1),
        helper.make_node("Split", ["x"], ["third_a", "third_b", "third_c"], axis=1),
        helper.make_node("Identity", ["x"], ["identity"]),
        helper.make_node("Constant", [], ["const"], value=const),
        helper.make_node("Add", ["x", "const"], ["plus_const"]),
        helper.make_node("Gather", ["x", "idx2d"], ["gather_2d"], axis=1),
        helper.make_node("Gather", ["x", "idx_neg"], ["gather_neg"], axis=-1),
        # Shape chain, as torch emits for x.view(x.size(0), -1) and friends.
        helper.make_node("Shape", ["x"], ["shape"]),
        helper.make_node("Gather", ["shape", "zero"], ["n"], axis=0),
        helper.make_node("Gather", ["shape", "one_two"], ["c_h"], axis=0),
        helper.make_node("Cast", ["c_h"], ["c_h_float"], to=FLOAT),
        helper.make_node("Cast", ["c_h_float"], ["c_h_int"], to=INT64),
        helper.make_node("Unsqueeze", ["n", "axes0"], ["n1"]),
        helper.make_node("Concat", ["n1", "c_h_int", "minus_one"], ["new_shape"], axis=0),
        helper.make_node("Reshape", ["x", "new_shape"], ["reshaped_by_chain"]),
        helper.make_node("Gather", ["shape", "last"], ["last_dim"], axis=0),
    ]
    inits = [ints("shape_0_m1", [0, -1, 5]), ints("axes_unsq", [-1, 1]), ints("axes_sq", [1, -1]),
             ints("split_sizes", [1, 4]), ints("idx2d", [[2, 0], [1, 1]]), ints("idx_neg", [-1, 0, -2]),
             ints("zero", 0), ints("one_two", [1, 2]), ints("axes0", [0]), ints("minus_one", [-1]),
             ints("last", [-1])]
    int_outputs = {"shape", "new_shape", "last_dim"}
    hidden = {"r", "n", "c_h", "c_h_float", "c_h_int", "n1", "const", "unsqueezed"}
    # Shape inference does not follow the shape chain into Reshape.
    shapes = {"reshaped_by_chain": [2, 3, 4, 5]}
    outs = [out(o, INT64 if o in int_outputs else FLOAT, shapes.get(o)) for n in nodes for o in n.output
            if o not in hidden]
    return save(folder, "shape_ops.onnx", nodes, [inp("x", [2, 3, 4, 5])], outs, inits, 13)


def elementwise(folder, rs):
    nodes = [
        helper.make_node("Add", ["x", "y"], ["add_xy"]),
        helper.make_node("Sub", ["y", "x"], ["sub_yx"]),
        helper.make_node("Mul", ["x", "w5"], ["mul_last_axis"]),
        helper.make_node("Div", ["x", "d_c"], ["div_channel"]),
        helper.make_node("Add", ["x", "scalar"], ["add_scalar"]),
        helper.make_node("Sub", ["x", "m_4_1"], ["sub_4x1"]),
        helper.make_node("Mul", ["y", "m_2_1_1_1"], ["mul_expand"]),
        helper.make_node("Div", ["y", "d_y"], ["div_same_shape"]),
    ]
    inits = [raw("w5", rs.normal(0, 1, 5)), raw("d_c", rs.uniform(0.5, 2.0, (1, 3, 1, 1))), raw("scalar", 0.25),
             raw("m_4_1", rs.normal(0, 1, (4, 1))), raw("m_2_1_1_1", rs.normal(0, 1, (2, 1, 1, 1))),
             raw("d_y", rs.uniform(0.5, 2.0, (3, 1, 5)))]
    return save(folder, "elementwise.onnx", nodes, [inp("x", [2, 3, 4, 5]), inp("y", [3, 1, 5])],
                [out(n.output[0]) for n in nodes], inits, 13)


def gemm_matmul(folder, rs):
    nodes = [
        helper.make_node("Gemm", ["a", "b_t", "c_vec"], ["gemm_transB_alpha_beta"], transB=1, alpha=0.5, beta=2.0),
        helper.make_node("Gemm", ["a", "b_ta"], ["gemm_transA_no_c"], transA=1),
        helper.make_node("Gemm", ["a", "b_plain", "c_mat"], ["gemm_plain"]),
        helper.make_node("Gemm", ["a", "b_plain", "c_scalar"], ["gemm_scalar_c"], beta=-1.5),
        helper.make_node("MatMul", ["a", "m"], ["matmul_2d"]),
        helper.make_node("MatMul", ["batch", "m"], ["matmul_batched"]),
        helper.make_node("MatMul", ["batch", "v"], ["matmul_vector"]),
    ]
    inits = [raw("b_t", rs.normal(0, 1, (5, 4))), raw("c_vec", rs.normal(0, 1, 5)),
             raw("b_ta", rs.normal(0, 1, (3, 6))), raw("b_plain", rs.normal(0, 1, (4, 2))),
             raw("c_mat", rs.normal(0, 1, (3, 2))), raw("c_scalar", [0.75]),
             raw("m", rs.normal(0, 1, (4, 5))), raw("v", rs.normal(0, 1, 4))]
    return save(folder, "gemm_matmul.onnx", nodes, [inp("a", [3, 4]), inp("batch", [2, 3, 4])],
                [out(n.output[0]) for n in nodes], inits, 13)


def pad(folder, rs):
    nodes = [
        helper.make_node("Pad", ["x", "p_const", "value"], ["constant"], mode="constant"),
        helper.make_node("Pad", ["x", "p_reflect"], ["reflect"], mode="reflect"),
        helper.make_node("Pad", ["x", "p_edge"], ["edge"], mode="edge"),
        helper.make_node("Pad", ["x", "p_crop"], ["crop"]),
        helper.make_node("Pad", ["x", "p_channel"], ["channel"]),
    ]
    inits = [ints("p_const", [0, 0, 1, 2, 0, 1, 2, 1]), raw("value", 0.5),
             ints("p_reflect", [0, 0, 2, 1, 0, 0, 1, 3]), ints("p_edge", [0, 0, 3, 0, 0, 0, 1, 2]),
             ints("p_crop", [0, 0, -1, 1, 0, 0, 1, -2]), ints("p_channel", [0, 1, 0, 0, 0, 2, 0, 0])]
    return save(folder, "pad.onnx", nodes, [inp("x", [1, 2, 5, 6])], [out(n.output[0]) for n in nodes], inits, 13)


def torch_cnn(folder):
    import torch
    import torch.nn as nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(3, 4, 3, padding=1)
            self.bn = nn.BatchNorm2d(4)
            self.pool1 = nn.MaxPool2d(2, ceil_mode=True)
            self.conv2 = nn.Conv2d(4, 6, 3, stride=2, groups=2)
            self.pool2 = nn.AvgPool2d(2, padding=1, count_include_pad=False)
            self.fc = nn.Linear(6 * 2 * 2, 5)

        def forward(self, x):
            x = self.pool1(torch.relu(self.bn(self.conv1(x))))
            x = self.pool2(nn.functional.leaky_relu(self.conv2(x), 0.1))
            x = x.view(x.size(0), -1)
            return torch.softmax(self.fc(x), dim=1)

    torch.manual_seed(7)
    net = Net()
    with torch.no_grad():
        net.bn.running_mean.uniform_(-0.5, 0.5)
        net.bn.running_var.uniform_(0.5, 2.0)
        net.bn.weight.uniform_(0.5, 1.5)
        net.bn.bias.uniform_(-0.5, 0.5)
    net.eval()
    buffer = io.BytesIO()
    # The batch axis is dynamic so that the exporter keeps the Shape/Gather/Unsqueeze/Concat chain of view()
    # instead of folding it into a constant.
    torch.onnx.export(net, torch.zeros(1, 3, 11, 11), buffer, opset_version=11, input_names=["image"],
                      output_names=["probabilities"], dynamic_axes={"image": {0: "batch"}},
                      do_constant_folding=True)
    model = onnx.load_from_string(buffer.getvalue())
    # The test makes its random input from the declared shape, so pin the batch to 1 again.
    model.graph.input[0].type.tensor_type.shape.dim[0].dim_value = 1
    ops = [n.op_type for n in model.graph.node]
    for needed in ("Shape", "Gather", "Unsqueeze", "Concat", "Reshape"):
        assert needed in ops, (needed, ops)
    onnx.checker.check_model(model)
    data = model.SerializeToString()
    with open(os.path.join(folder, "torch_cnn.onnx"), "wb") as f:
        f.write(data)
    return len(data)


def baked_same(folder, rs):
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["conv_upper"], name="conv_upper",
                         kernel_shape=[2, 2], strides=[2, 2], pads=[0, 0, 1, 1]),
        helper.make_node("Relu", ["conv_upper"], ["relu"], name="relu"),
        helper.make_node("MaxPool", ["relu"], ["pool_lower"], name="pool_lower",
                         kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 0, 0]),
        helper.make_node("AveragePool", ["pool_lower"], ["avg_mixed"], name="avg_mixed",
                         kernel_shape=[3, 3], strides=[2, 2], pads=[1, 0, 0, 1]),
        helper.make_node("Conv", ["pool_lower", "w2"], ["conv_symmetric"], name="conv_symmetric",
                         kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]),
    ]
    inits = [raw("w1", he(rs, 3, 2, 2, 2)), raw("b1", rs.normal(0, 1, 3)), raw("w2", he(rs, 2, 3, 3, 3))]
    outs = [out(o) for o in ("relu", "pool_lower", "avg_mixed", "conv_symmetric")]
    return save(folder, "baked_same.onnx", nodes, [inp("x", [1, 2, 15, 15])], outs, inits, 11)


def legacy_opset6(folder, rs):
    nodes = [
        helper.make_node("Add", ["x", "b_axis1"], ["add_axis1"], broadcast=1, axis=1),
        helper.make_node("Mul", ["x", "b_last"], ["mul_trailing"], broadcast=1),
        helper.make_node("PRelu", ["x", "slope"], ["prelu_per_channel"]),
    ]
    inits = [raw("b_axis1", rs.normal(0, 1, (3, 4))), raw("b_last", rs.normal(0, 1, 5)),
             raw("slope", [0.1, 0.2, 0.3])]
    return save(folder, "legacy_opset6.onnx", nodes, [inp("x", [2, 3, 4, 5])], [out(n.output[0]) for n in nodes],
                inits, 6)


def unsupported(folder, rs):
    nodes = [
        helper.make_node("Relu", ["a"], ["r"], name="first_relu"),
        helper.make_node("Einsum", ["r", "w"], ["y"], name="contract", equation="ij,jk->ik"),
    ]
    return save(folder, "unsupported_einsum.onnx", nodes, [inp("a", [2, 3])], [out("y")],
                [raw("w", rs.normal(0, 1, (3, 4)))], 12)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_out = os.path.join(here, "..", "NeuralStyle.Tests", "Fixtures", "onnx")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=default_out)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rs = np.random.RandomState(20240607)
    sizes = {}
    for make in (conv, conv1d, conv_transpose, pool, normalization, activations, legacy_opset8, shape_ops,
                 elementwise, gemm_matmul, pad, baked_same, legacy_opset6, unsupported):
        sizes[make.__name__] = make(args.out, rs)
    sizes["torch_cnn"] = torch_cnn(args.out)
    for name, size in sizes.items():
        print(f"{name:16s} {size:7d} bytes")
    print(f"total            {sum(sizes.values()):7d} bytes")


if __name__ == "__main__":
    main()
