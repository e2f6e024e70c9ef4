#!/usr/bin/python3
"""Writes tests/NeuralStyle.Tests/Fixtures/kernels/reference-cases.json: PyTorch's float64 results for the C# reference kernels.

Run with Debian's interpreter (torch 1.13) from anywhere: /usr/bin/python3 tests/fixture-scripts/make_kernel_reference_fixtures.py

Each case runs one torch.nn.functional call (conv2d, conv_transpose2d, linear, max_pool2d, avg_pool2d, batch_norm) in
float64 on one thread, then autograd's backward of sum(output * upstream); it stores the inputs, the upstream gradient
and PyTorch's output, gradients and (batch norm) updated running statistics. The C# tests
(tests/NeuralStyle.Tests/Kernels/ReferenceKernelTests.cs) run NeuralStyle.Kernels.Reference on the same inputs.

Inputs are multiples of 1/256 in [-1, 1) (exact in binary, short in JSON; max_pool_ties uses small integers so that
windows hold equal maxima); every case draws them from its own torch.Generator seeded with the case's index, so the
file is the same byte for byte on every run. Results are written with Python's repr, which round-trips float64 exactly.

JSON layout: {"torch_version": ..., "cases": [{"name", "op", "args", "inputs": {name: {"shape", "data"}},
"expected": {name: {"shape", "data"}}}, ...]}, data flattened in row-major order. Absent tensors (no bias) are null.
"""
import json
import os

import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "NeuralStyle.Tests", "Fixtures", "kernels",
                   "reference-cases.json")


class Case:
    def __init__(self, index):
        self.gen = torch.Generator().manual_seed(1000 + index)

    def uniform(self, *shape):
        """Multiples of 1/256 in [-1, 1)."""
        return torch.randint(-256, 256, shape, generator=self.gen, dtype=torch.int64).to(torch.float64) / 256

    def positive(self, *shape):
        """Multiples of 1/256 in [0.5, 1.5): running variances."""
        return torch.randint(128, 384, shape, generator=self.gen, dtype=torch.int64).to(torch.float64) / 256

    def integers(self, low, high, *shape):
        return torch.randint(low, high, shape, generator=self.gen, dtype=torch.int64).to(torch.float64)


def pair(v):
    return [v, v] if isinstance(v, int) else list(v)


def tensor_json(t):
    if t is None:
        return None
    t = t.detach().contiguous()
    assert t.dtype == torch.float64
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1).tolist()]}


def backward(output, upstream, *inputs):
    """Gradients of sum(output * upstream) with respect to inputs (None entries stay None)."""
    wanted = [t for t in inputs if t is not None]
    grads = iter(torch.autograd.grad((output * upstream).sum(), wanted))
    return [None if t is None else next(grads) for t in inputs]


def conv_case(c, name, transposed, n, cin, cout, size, kernel, stride=1, padding=0, dilation=1, groups=1,
              output_padding=0, bias=True):
    kh, kw = pair(kernel)
    x = c.uniform(n, cin, *pair(size)).requires_grad_()
    if transposed:
        w = c.uniform(cin, cout // groups, kh, kw).requires_grad_()
    else:
        w = c.uniform(cout, cin // groups, kh, kw).requires_grad_()
    b = c.uniform(cout).requires_grad_() if bias else None
    args = {"stride": pair(stride), "padding": pair(padding), "dilation": pair(dilation), "groups": groups}
    if transposed:
        args["output_padding"] = pair(output_padding)
        y = F.conv_transpose2d(x, w, b, stride=stride, padding=padding, output_padding=output_padding, groups=groups,
                               dilation=dilation)
    else:
        y = F.conv2d(x, w, b, stride=stride, padding=padding, dilation=dilation, groups=groups)
    up = c.uniform(*y.shape)
    gx, gw, gb = backward(y, up, x, w, b)
    return {
        "name": name, "op": "conv_transpose2d" if transposed else "conv2d", "args": args,
        "inputs": {"x": x, "weight": w, "bias": b, "upstream": up},
        "expected": {"output": y, "input_grad": gx, "weight_grad": gw, "bias_grad": gb},
    }


def linear_case(c, name, n, fin, fout, bias=True):
    x = c.uniform(n, fin).requires_grad_()
    w = c.uniform(fout, fin).requires_grad_()
    b = c.uniform(fout).requires_grad_() if bias else None
    y = F.linear(x, w, b)
    up = c.uniform(*y.shape)
    gx, gw, gb = backward(y, up, x, w, b)
    return {
        "name": name, "op": "linear", "args": {},
        "inputs": {"x": x, "weight": w, "bias": b, "upstream": up},
        "expected": {"output": y, "input_grad": gx, "weight_grad": gw, "bias_grad": gb},
    }


def pool_case(c, name, op, shape, kernel, stride, padding=0, dilation=1, ceil_mode=False, count_include_pad=True,
              ties=False):
    x = (c.integers(-3, 4, *shape) if ties else c.uniform(*shape)).requires_grad_()
    args = {"kernel": pair(kernel), "stride": pair(stride), "padding": pair(padding), "ceil_mode": ceil_mode}
    if op == "max_pool2d":
        args["dilation"] = pair(dilation)
        y = F.max_pool2d(x, kernel, stride, padding, dilation, ceil_mode=ceil_mode)
    else:
        args["count_include_pad"] = count_include_pad
        y = F.avg_pool2d(x, kernel, stride, padding, ceil_mode=ceil_mode, count_include_pad=count_include_pad)
    up = c.uniform(*y.shape)
    (gx,) = backward(y, up, x)
    return {
        "name": name, "op": op, "args": args,
        "inputs": {"x": x, "upstream": up},
        "expected": {"output": y, "input_grad": gx},
    }


def batch_norm_case(c, name, training, shape, momentum=0.1, eps=1e-5):
    channels = shape[1]
    x = c.uniform(*shape).requires_grad_()
    w = c.uniform(channels).requires_grad_()
    b = c.uniform(channels).requires_grad_()
    running_mean = c.uniform(channels)
    running_var = c.positive(channels)
    inputs = {"x": x, "weight": w, "bias": b, "running_mean": running_mean.clone(), "running_var": running_var.clone()}
    # batch_norm updates running_mean / running_var in place (training only).
    y = F.batch_norm(x, running_mean, running_var, w, b, training=training, momentum=momentum, eps=eps)
    up = c.uniform(*y.shape)
    gx, gw, gb = backward(y, up, x, w, b)
    inputs["upstream"] = up
    return {
        "name": name, "op": "batch_norm_train" if training else "batch_norm_eval",
        "args": {"momentum": momentum, "eps": eps},
        "inputs": inputs,
        "expected": {"output": y, "input_grad": gx, "weight_grad": gw, "bias_grad": gb,
                     "running_mean": running_mean, "running_var": running_var},
    }


# (function, name, keyword arguments). Comments say what each case is there for.
CASES = [
    # conv2d
    (conv_case, "conv_s1_p1_bias", dict(transposed=False, n=2, cin=3, cout=4, size=(5, 6), kernel=3, padding=1)),
    (conv_case, "conv_s2_p1_nobias", dict(transposed=False, n=1, cin=3, cout=2, size=(7, 6), kernel=3, stride=2,
                                          padding=1, bias=False)),
    # asymmetric kernel, stride and padding; the stride 3 skips input rows at the bottom.
    (conv_case, "conv_k3x5_s3x2_p2x1", dict(transposed=False, n=2, cin=2, cout=3, size=(8, 9), kernel=(3, 5),
                                            stride=(3, 2), padding=(2, 1))),
    (conv_case, "conv_s3_nopad", dict(transposed=False, n=1, cin=2, cout=2, size=(8, 7), kernel=2, stride=3,
                                      bias=False)),
    (conv_case, "conv_dil2_p2", dict(transposed=False, n=1, cin=2, cout=3, size=(7, 7), kernel=3, dilation=2,
                                     padding=2)),
    (conv_case, "conv_dil2x1_k2x3_s1x2", dict(transposed=False, n=2, cin=2, cout=2, size=(6, 7), kernel=(2, 3),
                                              dilation=(2, 1), stride=(1, 2), padding=(0, 1))),
    (conv_case, "conv_groups2_batch3", dict(transposed=False, n=3, cin=4, cout=6, size=(4, 5), kernel=3, padding=1,
                                            groups=2)),
    (conv_case, "conv_depthwise", dict(transposed=False, n=2, cin=4, cout=4, size=(5, 5), kernel=3, stride=2,
                                       padding=1, groups=4, bias=False)),
    (conv_case, "conv_depthwise_multiplier2", dict(transposed=False, n=1, cin=3, cout=6, size=(6, 5), kernel=3,
                                                   padding=1, groups=3)),
    (conv_case, "conv_1x1_s2", dict(transposed=False, n=2, cin=3, cout=2, size=(5, 4), kernel=1, stride=2)),
    # conv_transpose2d
    (conv_case, "convT_s2_p1_op1", dict(transposed=True, n=2, cin=3, cout=2, size=(3, 4), kernel=3, stride=2,
                                        padding=1, output_padding=1)),
    (conv_case, "convT_groups2_k2x3_s2", dict(transposed=True, n=1, cin=4, cout=6, size=(3, 3), kernel=(2, 3),
                                              stride=2, groups=2)),
    (conv_case, "convT_dil2_p1_nobias", dict(transposed=True, n=2, cin=2, cout=3, size=(4, 3), kernel=3, dilation=2,
                                             padding=1, bias=False)),
    (conv_case, "convT_s3x2_op2x1_d1x2", dict(transposed=True, n=1, cin=2, cout=2, size=(3, 4), kernel=(3, 2),
                                              stride=(3, 2), padding=(1, 0), dilation=(1, 2), output_padding=(2, 1))),
    # output padding 1 with stride 1 is allowed because it is below the dilation 2.
    (conv_case, "convT_s1_d2_op1", dict(transposed=True, n=1, cin=2, cout=2, size=(3, 3), kernel=2, dilation=2,
                                        output_padding=1)),
    # linear
    (linear_case, "linear_bias", dict(n=3, fin=5, fout=4)),
    (linear_case, "linear_nobias", dict(n=2, fin=7, fout=3, bias=False)),
    # max_pool2d
    (pool_case, "max_k2s2_ceil_partial", dict(op="max_pool2d", shape=(1, 2, 5, 7), kernel=2, stride=2,
                                              ceil_mode=True)),
    (pool_case, "max_k3s2_p1_ceil", dict(op="max_pool2d", shape=(2, 1, 6, 7), kernel=3, stride=2, padding=1,
                                         ceil_mode=True)),
    # plain ceil would add a 4th window starting at row 5 = H, in the right padding; PyTorch drops it.
    (pool_case, "max_k2s2_p1_ceil_dropped", dict(op="max_pool2d", shape=(1, 2, 5, 6), kernel=2, stride=2, padding=1,
                                                 ceil_mode=True)),
    (pool_case, "max_k3s1_d2_p1", dict(op="max_pool2d", shape=(1, 2, 6, 7), kernel=3, stride=1, padding=1,
                                       dilation=2)),
    (pool_case, "max_k3x2_s2x1_d2_p1_ceil", dict(op="max_pool2d", shape=(1, 2, 8, 6), kernel=(3, 2), stride=(2, 1),
                                                 padding=1, dilation=2, ceil_mode=True)),
    (pool_case, "max_ties_k3s1_p1", dict(op="max_pool2d", shape=(1, 2, 5, 5), kernel=3, stride=1, padding=1,
                                         ties=True)),
    # avg_pool2d
    (pool_case, "avg_k2s2_ceil_partial", dict(op="avg_pool2d", shape=(1, 2, 5, 7), kernel=2, stride=2,
                                              ceil_mode=True)),
    # H = 6: the last ceil window covers rows 5..7, past the padding (row 6); divisor 2 rows with the padding, 1 without.
    (pool_case, "avg_k3s2_p1_ceil_include", dict(op="avg_pool2d", shape=(2, 1, 6, 8), kernel=3, stride=2, padding=1,
                                                 ceil_mode=True, count_include_pad=True)),
    (pool_case, "avg_k3s2_p1_ceil_exclude", dict(op="avg_pool2d", shape=(2, 1, 6, 8), kernel=3, stride=2, padding=1,
                                                 ceil_mode=True, count_include_pad=False)),
    (pool_case, "avg_k2s2_p1_ceil_dropped_include", dict(op="avg_pool2d", shape=(1, 2, 5, 6), kernel=2, stride=2,
                                                         padding=1, ceil_mode=True, count_include_pad=True)),
    (pool_case, "avg_k3s2_p1_floor_exclude", dict(op="avg_pool2d", shape=(1, 2, 7, 6), kernel=3, stride=2, padding=1,
                                                  count_include_pad=False)),
    # stride above the kernel: gaps between windows; asymmetric everything.
    (pool_case, "avg_k2x3_s3x2_p1x0_ceil_include", dict(op="avg_pool2d", shape=(1, 2, 8, 7), kernel=(2, 3),
                                                        stride=(3, 2), padding=(1, 0), ceil_mode=True,
                                                        count_include_pad=True)),
    # batch_norm
    (batch_norm_case, "bn_train", dict(training=True, shape=(2, 3, 4, 5))),
    (batch_norm_case, "bn_train_m03_eps1e-3", dict(training=True, shape=(3, 2, 3, 3), momentum=0.3, eps=1e-3)),
    (batch_norm_case, "bn_eval", dict(training=False, shape=(2, 3, 4, 3))),
]


def main():
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    cases = []
    for index, (make, name, kwargs) in enumerate(CASES):
        case = make(Case(index), name, **kwargs)
        for group in ("inputs", "expected"):
            case[group] = {k: tensor_json(v) for k, v in case[group].items()}
        cases.append(case)
    names = [c["name"] for c in cases]
    assert len(set(names)) == len(names), "case names must be unique"

    # One case per line: diffs stay readable, the file stays small.
    lines = ",\n".join(json.dumps(c, separators=(",", ":")) for c in cases)
    text = '{"torch_version":' + json.dumps(torch.__version__) + ',"cases":[\n' + lines + "\n]}\n"
    json.loads(text)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"{len(cases)} cases, {len(text)} bytes -> {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
