using System.Diagnostics;
using System.Text.Json;
using NeuralStyle.Kernels.Reference;
using NeuralStyle.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace NeuralStyle.Tests.Kernels;

/// <summary>
/// The float64 reference kernels against PyTorch's float64 results (Fixtures/kernels/reference-cases.json, made by
/// tests/fixture-scripts/make_kernel_reference_fixtures.py with torch 1.13), plus direct tests of the shape rules, the
/// argument checks and the corner cases JSON cannot hold (NaN, -inf).
/// </summary>
public sealed class ReferenceKernelTests(ITestOutputHelper output)
{
    /// <summary>Both sides are float64 and sum the same few terms in different orders: only rounding may differ.</summary>
    private const double Tolerance = 1e-10;

    private static readonly Lazy<Dictionary<string, JsonElement>> Cases = new(() =>
    {
        string path = Path.Combine(Fixtures.Root, "kernels", "reference-cases.json");
        JsonElement root = JsonDocument.Parse(File.ReadAllText(path)).RootElement;
        return root.GetProperty("cases").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);
    });

    public static TheoryData<string> CaseNames() => [.. Cases.Value.Keys];

    [Fact]
    public void The_fixture_covers_every_operation()
    {
        string[] ops = [.. Cases.Value.Values.Select(c => c.GetProperty("op").GetString()!).Distinct().Order()];

        Assert.Equal(["avg_pool2d", "batch_norm_eval", "batch_norm_train", "conv2d", "conv_transpose2d", "linear", "max_pool2d"], ops);
        Assert.True(Cases.Value.Count >= 25, $"only {Cases.Value.Count} cases");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Agrees_with_PyTorch(string name)
    {
        JsonElement c = Cases.Value[name];
        JsonElement args = c.GetProperty("args");
        JsonElement inputs = c.GetProperty("inputs");
        HostTensor x = Tensor(inputs, "x")!;
        HostTensor upstream = Tensor(inputs, "upstream")!;

        Dictionary<string, HostTensor?> actual;
        switch (c.GetProperty("op").GetString())
        {
            case "conv2d":
            case "conv_transpose2d":
                {
                    bool transposed = c.GetProperty("op").GetString() == "conv_transpose2d";
                    var g = new ConvGeometry(
                        Pair(args, "stride"),
                        Pair(args, "padding"),
                        Pair(args, "dilation"),
                        args.GetProperty("groups").GetInt32(),
                        transposed ? Pair(args, "output_padding") : default);
                    HostTensor weight = Tensor(inputs, "weight")!;
                    HostTensor? bias = Tensor(inputs, "bias");
                    ConvResult r = transposed
                        ? Conv2dReference.EvaluateTransposed(x, weight, bias, g, upstream)
                        : Conv2dReference.Evaluate(x, weight, bias, g, upstream);
                    actual = new() { ["output"] = r.Output, ["input_grad"] = r.InputGrad, ["weight_grad"] = r.WeightGrad, ["bias_grad"] = r.BiasGrad };
                    break;
                }

            case "linear":
                {
                    LinearResult r = LinearReference.Evaluate(x, Tensor(inputs, "weight")!, Tensor(inputs, "bias"), upstream);
                    actual = new() { ["output"] = r.Output, ["input_grad"] = r.InputGrad, ["weight_grad"] = r.WeightGrad, ["bias_grad"] = r.BiasGrad };
                    break;
                }

            case "max_pool2d":
                {
                    PoolResult r = Pool2dReference.MaxPool(
                        x, Pair(args, "kernel"), Pair(args, "stride"), Pair(args, "padding"), Pair(args, "dilation"), args.GetProperty("ceil_mode").GetBoolean(), upstream);
                    actual = new() { ["output"] = r.Output, ["input_grad"] = r.InputGrad };
                    break;
                }

            case "avg_pool2d":
                {
                    PoolResult r = Pool2dReference.AvgPool(
                        x, Pair(args, "kernel"), Pair(args, "stride"), Pair(args, "padding"), args.GetProperty("ceil_mode").GetBoolean(),
                        args.GetProperty("count_include_pad").GetBoolean(), upstream);
                    actual = new() { ["output"] = r.Output, ["input_grad"] = r.InputGrad };
                    break;
                }

            case "batch_norm_train":
            case "batch_norm_eval":
                {
                    double[] weight = Tensor(inputs, "weight")!.Data, bias = Tensor(inputs, "bias")!.Data;
                    double[] mean = Tensor(inputs, "running_mean")!.Data, variance = Tensor(inputs, "running_var")!.Data;
                    double eps = args.GetProperty("eps").GetDouble();
                    BatchNormResult r = c.GetProperty("op").GetString() == "batch_norm_train"
                        ? BatchNormReference.Training(x, weight, bias, mean, variance, args.GetProperty("momentum").GetDouble(), eps, upstream)
                        : BatchNormReference.Evaluation(x, weight, bias, mean, variance, eps, upstream);
                    actual = new()
                    {
                        ["output"] = r.Output,
                        ["input_grad"] = r.InputGrad,
                        ["weight_grad"] = r.WeightGrad,
                        ["bias_grad"] = r.BiasGrad,
                        ["running_mean"] = new HostTensor([r.RunningMean.Length], r.RunningMean),
                        ["running_var"] = new HostTensor([r.RunningVar.Length], r.RunningVar),
                    };
                    break;
                }

            default:
                throw new InvalidOperationException($"{name}: unknown op {c.GetProperty("op")}");
        }

        JsonElement expectedAll = c.GetProperty("expected");
        Assert.Equal(
            expectedAll.EnumerateObject().Select(p => p.Name).Order(),
            actual.Keys.Order());
        foreach (JsonProperty p in expectedAll.EnumerateObject())
        {
            HostTensor? expected = Tensor(expectedAll, p.Name);
            HostTensor? got = actual[p.Name];
            if (expected is null || got is null)
            {
                Assert.True(expected is null && got is null, $"{name}/{p.Name}: expected {(expected is null ? "none" : "a tensor")}, got {(got is null ? "none" : "a tensor")}");
                continue;
            }

            Assert.True(expected.Shape.SequenceEqual(got.Shape), $"{name}/{p.Name}: shape {Format(got.Shape)}, PyTorch {Format(expected.Shape)}");
            double error = RelativeError(expected.Data, got.Data);
            output.WriteLine($"{name}/{p.Name}: relative error {error:E2}");
            Assert.True(error <= Tolerance, $"{name}/{p.Name}: relative error {error:E3} (max |diff| / max |expected|) exceeds {Tolerance:E0}");
        }
    }

    [Fact]
    public void Output_shapes_follow_PyTorch()
    {
        var g = new ConvGeometry((2, 3), (1, 0), (1, 2), 1);
        // floor((7 + 2 - 2 - 1) / 2) + 1 = 4; floor((9 - 4 - 1) / 3) + 1 = 2.
        Assert.Equal([1L, 5, 4, 2], Conv2dReference.OutputShape([1, 3, 7, 9], [5, 3, 2, 3], g));
        // (4 - 1) 2 - 2 + 1 (2 - 1) + 1 + 1 = 7 and (3 - 1) 3 - 0 + 2 (3 - 1) + 0 + 1 = 11; Cout = 2 x groups.
        Assert.Equal([2L, 4, 7, 11], Conv2dReference.TransposedOutputShape([2, 6, 4, 3], [6, 2, 2, 3], new ConvGeometry((2, 3), (1, 0), (1, 2), 2, (1, 0))));

        // Floor mode: floor((5 - 2) / 2) + 1 = 2. Ceil mode: ceil(3 / 2) + 1 = 3.
        Assert.Equal([1L, 1, 2, 2], Pool2dReference.OutputShape([1, 1, 5, 5], (2, 2), (2, 2), (0, 0), (1, 1), false));
        Assert.Equal([1L, 1, 3, 3], Pool2dReference.OutputShape([1, 1, 5, 5], (2, 2), (2, 2), (0, 0), (1, 1), true));
        // Ceil gives ceil((5 + 2 - 2) / 2) + 1 = 4, but the 4th window would start at 3 x 2 - 1 = 5, in the right padding:
        // dropped, 3. The width 6 keeps its 4th window (it starts at column 5, inside the input).
        Assert.Equal([1L, 1, 3, 4], Pool2dReference.OutputShape([1, 1, 5, 6], (2, 2), (2, 2), (1, 1), (1, 1), true));
        // Dilation: the window spans 2 (3 - 1) + 1 = 5; floor((6 + 2 - 5) / 1) + 1 = 4.
        Assert.Equal([1L, 2, 4, 4], Pool2dReference.OutputShape([1, 2, 6, 6], (3, 3), (1, 1), (1, 1), (2, 2), false));
    }

    [Fact]
    public void No_ceil_mode_window_starts_past_the_input()
    {
        // The rule's last step means every window starts inside the input or the left padding, so every avg_pool2d
        // window holds at least one input element and max_pool2d's first tap is real unless the dilation skips over it.
        for (int input = 1; input <= 12; input++)
        {
            for (int k = 1; k <= 4; k++)
            {
                for (int s = 1; s <= 4; s++)
                {
                    for (int p = 0; p <= k / 2; p++)
                    {
                        long outSize;
                        try
                        {
                            outSize = Pool2dReference.OutputShape([1, 1, input, 1], (k, 1), (s, 1), (p, 0), (1, 1), true)[2];
                        }
                        catch (ArgumentException)
                        {
                            Assert.True(input + (2 * p) < k, $"in {input} k {k} s {s} p {p} refused");
                            continue;
                        }

                        Assert.True(((outSize - 1) * s) - p < input, $"in {input} k {k} s {s} p {p}: last window starts at {((outSize - 1) * s) - p}");
                        Assert.True(((outSize - 1) * s) - p + k > 0);
                    }
                }
            }
        }
    }

    [Fact]
    public void Invalid_arguments_are_refused_with_the_reason()
    {
        var plain = new ConvGeometry((1, 1), (0, 0), (1, 1), 1);
        Assert.Contains("the data has 5", Assert.Throws<ArgumentException>(() => new HostTensor([2, 3], new double[5])).Message);
        Assert.Contains("negative", Assert.Throws<ArgumentException>(() => new HostTensor(2, -1)).Message);

        Assert.Contains("expects 3 input channels", Message(() => Conv2dReference.OutputShape([1, 4, 5, 5], [2, 3, 3, 3], plain)));
        Assert.Contains("not divisible by groups = 2", Message(() => Conv2dReference.OutputShape([1, 3, 5, 5], [2, 3, 3, 3], plain with { Groups = 2 })));
        Assert.Contains("output channels are not divisible by groups = 2", Message(() => Conv2dReference.OutputShape([1, 4, 5, 5], [3, 2, 3, 3], plain with { Groups = 2 })));
        Assert.Contains("smaller than the dilated kernel (5 x 5)", Message(() => Conv2dReference.OutputShape([1, 1, 4, 4], [1, 1, 3, 3], plain with { Dilation = (2, 2) })));
        Assert.Contains("stride must be greater than zero", Message(() => Conv2dReference.OutputShape([1, 1, 4, 4], [1, 1, 3, 3], plain with { Stride = (0, 1) })));
        Assert.Contains("no output padding", Message(() => Conv2dReference.OutputShape([1, 1, 4, 4], [1, 1, 3, 3], plain with { OutputPadding = (1, 0) })));
        Assert.Contains("upstream gradient must have shape [1, 1, 2, 2], but has shape [1, 1, 2]", Message(() => Conv2dReference.Evaluate(new HostTensor(1, 1, 4, 4), new HostTensor(1, 1, 3, 3), null, plain, new HostTensor(1, 1, 2))));
        Assert.Contains("shape [1, 1, 2, 2]", Message(() => Conv2dReference.Evaluate(new HostTensor(1, 1, 4, 4), new HostTensor(1, 1, 3, 3), null, plain, new HostTensor(1, 1, 2, 3))));
        Assert.Contains("bias must have shape [1]", Message(() => Conv2dReference.Evaluate(new HostTensor(1, 1, 4, 4), new HostTensor(1, 1, 3, 3), new HostTensor(2), plain, new HostTensor(1, 1, 2, 2))));

        // Output padding must be below the stride or below the dilation (1 with stride 1 and dilation 2 is allowed).
        Assert.Equal([1L, 1, 7, 7], Conv2dReference.TransposedOutputShape([1, 1, 4, 4], [1, 1, 2, 2], plain with { Dilation = (2, 2), OutputPadding = (1, 1) }));
        Assert.Contains("smaller than either the stride", Message(() => Conv2dReference.TransposedOutputShape([1, 1, 4, 4], [1, 1, 3, 3], plain with { Stride = (2, 2), OutputPadding = (2, 0) })));
        Assert.Contains("expects 2 input channels", Message(() => Conv2dReference.TransposedOutputShape([1, 3, 4, 4], [2, 1, 3, 3], plain)));
        Assert.Contains("crops the whole output", Message(() => Conv2dReference.TransposedOutputShape([1, 1, 1, 1], [1, 1, 1, 1], plain with { Padding = (1, 1) })));

        Assert.Contains("has 4 features but the weight [3, 5] expects 5", Message(() => LinearReference.Evaluate(new HostTensor(2, 4), new HostTensor(3, 5), null, new HostTensor(2, 3))));
        Assert.Contains("bias must have shape [3]", Message(() => LinearReference.Evaluate(new HostTensor(2, 5), new HostTensor(3, 5), new HostTensor(4), new HostTensor(2, 3))));

        Assert.Contains("at most half the kernel size", Message(() => Pool2dReference.OutputShape([1, 1, 5, 5], (3, 3), (1, 1), (2, 0), (1, 1), false)));
        Assert.Contains("at most half the kernel size", Message(() => Pool2dReference.AvgPool(new HostTensor(1, 1, 5, 5), (2, 2), (1, 1), (0, 2), false, true, new HostTensor(1, 1, 4, 4))));
        Assert.Contains("too small for the kernel", Message(() => Pool2dReference.OutputShape([1, 1, 2, 5], (3, 3), (1, 1), (0, 0), (1, 1), true)));
        Assert.Contains("kernel size must be greater than zero", Message(() => Pool2dReference.OutputShape([1, 1, 5, 5], (0, 3), (1, 1), (0, 0), (1, 1), false)));
        Assert.Contains("dilation must be greater than zero", Message(() => Pool2dReference.OutputShape([1, 1, 5, 5], (2, 2), (1, 1), (0, 0), (1, 0), false)));

        double[] one = [1], ones = [1, 1];
        Assert.Contains("more than one value per channel", Message(() => BatchNormReference.Training(new HostTensor(1, 1, 1, 1), one, one, one, one, 0.1, 1e-5, new HostTensor(1, 1, 1, 1))));
        Assert.Contains("weight has 1 values but the input [2, 2, 3, 3] has 2 channels", Message(() => BatchNormReference.Evaluation(new HostTensor(2, 2, 3, 3), one, ones, ones, ones, 1e-5, new HostTensor(2, 2, 3, 3))));
    }

    [Fact]
    public void Max_pool_corner_cases_match_what_PyTorch_does()
    {
        // Observed with torch 1.13 (float64, CPU); JSON cannot hold these values, so they are written out here.
        // Ties: the first maximum in row-major window order takes the gradient.
        PoolResult ties = Pool2dReference.MaxPool(Row(1, 3, 3, 2), (1, 4), (1, 1), (0, 0), (1, 1), false, Row(1));
        Assert.Equal([0.0, 1, 0, 0], ties.InputGrad.Data);

        // NaN propagates, and a later NaN takes over from an earlier one.
        PoolResult nan = Pool2dReference.MaxPool(Row(1, double.NaN, 5, double.NaN), (1, 4), (1, 1), (0, 0), (1, 1), false, Row(1));
        Assert.True(double.IsNaN(nan.Output.Data[0]));
        Assert.Equal([0.0, 0, 0, 1], nan.InputGrad.Data);

        // A window of -inf values routes its gradient to its first element inside the input (3x3, pad 1, stride 1).
        var minusInf = new HostTensor([1, 1, 3, 3], Enumerable.Repeat(double.NegativeInfinity, 9).ToArray());
        PoolResult inf = Pool2dReference.MaxPool(minusInf, (3, 3), (1, 1), (1, 1), (1, 1), false, new HostTensor([1, 1, 3, 3], Enumerable.Repeat(1.0, 9).ToArray()));
        Assert.All(inf.Output.Data, v => Assert.Equal(double.NegativeInfinity, v));
        Assert.Equal([4.0, 2, 0, 2, 1, 0, 0, 0, 0], inf.InputGrad.Data);

        // Dilation can make a window miss the input entirely (taps at -1 and 2 of a 2-wide input): -inf, no gradient.
        PoolResult empty = Pool2dReference.MaxPool(
            new HostTensor([1, 1, 2, 2], [1, 2, 3, 4]), (2, 2), (1, 1), (1, 1), (3, 3), false, new HostTensor([1, 1, 1, 1], [1]));
        Assert.Equal([double.NegativeInfinity], empty.Output.Data);
        Assert.Equal([0.0, 0, 0, 0], empty.InputGrad.Data);
    }

    [Fact]
    public void Transposed_convolution_is_the_adjoint_of_convolution()
    {
        // <conv2d(x, w), y> = <x, conv_transpose2d(y, w)> for the same weight, when the transposed output has x's size.
        var random = new Random(7);
        var g = new ConvGeometry((2, 3), (1, 2), (2, 1), 2, (0, 0));
        HostTensor x = HostTensor.Random(random, 2, 4, 9, 11);
        HostTensor w = HostTensor.Random(random, 6, 2, 3, 4);
        long[] outShape = Conv2dReference.OutputShape(x.Shape, w.Shape, g);
        HostTensor y = HostTensor.Random(random, outShape);
        long[] back = Conv2dReference.TransposedOutputShape(outShape, w.Shape, g);
        g = g with { OutputPadding = ((int)(x.Shape[2] - back[2]), (int)(x.Shape[3] - back[3])) };

        HostTensor forward = Conv2dReference.Evaluate(x, w, null, g with { OutputPadding = default }, new HostTensor(outShape)).Output;
        HostTensor adjoint = Conv2dReference.EvaluateTransposed(y, w, null, g, new HostTensor(x.Shape)).Output;

        Assert.Equal(x.Shape, adjoint.Shape);
        double left = forward.Data.Zip(y.Data, (a, b) => a * b).Sum(), right = x.Data.Zip(adjoint.Data, (a, b) => a * b).Sum();
        Assert.True(Math.Abs(left - right) <= 1e-12 * Math.Abs(left), $"{left} vs {right}");
    }

    [Fact]
    public void Random_tensors_are_uniform_in_minus_one_to_one()
    {
        HostTensor a = HostTensor.Random(new Random(3), 4, 5, 6), b = HostTensor.Random(new Random(3), 4, 5, 6);

        Assert.Equal(120, a.Count);
        Assert.Equal([4L, 5, 6], a.Shape);
        Assert.Equal(a.Data, b.Data);
        Assert.All(a.Data, v => Assert.InRange(v, -1, 1 - double.Epsilon));
        Assert.Contains(a.Data, v => v < -0.5);
        Assert.Contains(a.Data, v => v > 0.5);
        Assert.Equal(1, new HostTensor().Count);
    }

    [Fact]
    public void A_VGG_sized_convolution_is_fast()
    {
        // The brief's example shape; checks the loops stay cheap enough for hundreds of cases (measured 22 ms on an idle core here).
        var random = new Random(1);
        HostTensor x = HostTensor.Random(random, 4, 64, 24, 24), w = HostTensor.Random(random, 16, 64, 3, 3), b = HostTensor.Random(random, 16);
        var g = new ConvGeometry((1, 1), (1, 1), (1, 1), 1);
        HostTensor up = HostTensor.Random(random, Conv2dReference.OutputShape(x.Shape, w.Shape, g));
        Conv2dReference.Evaluate(x, w, b, g, up);

        var watch = Stopwatch.StartNew();
        ConvResult r = Conv2dReference.Evaluate(x, w, b, g, up);
        watch.Stop();

        output.WriteLine($"conv 4x64x24x24 -> 16, 3x3: {watch.Elapsed.TotalMilliseconds:F1} ms");
        Assert.Equal([4L, 16, 24, 24], r.Output.Shape);
        // Loose: the machine is shared, so this only catches an accidental order-of-magnitude slowdown.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"{watch.Elapsed.TotalMilliseconds:F0} ms");
    }

    private static HostTensor Row(params double[] values) => new([1, 1, 1, values.Length], values);

    private static string Message(Action action) => Assert.Throws<ArgumentException>(action).Message;

    private static (int H, int W) Pair(JsonElement args, string name)
    {
        JsonElement p = args.GetProperty(name);
        return (p[0].GetInt32(), p[1].GetInt32());
    }

    private static HostTensor? Tensor(JsonElement group, string name)
    {
        JsonElement t = group.GetProperty(name);
        if (t.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        long[] shape = [.. t.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64())];
        double[] data = [.. t.GetProperty("data").EnumerateArray().Select(v => v.GetDouble())];
        return new HostTensor(shape, data);
    }

    /// <summary>max |actual - expected| / max |expected| (the absolute difference when everything expected is 0).</summary>
    private static double RelativeError(double[] expected, double[] actual)
    {
        double maxDiff = 0, maxExpected = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            // NaN in either compares false everywhere; make it fail.
            double diff = Math.Abs(actual[i] - expected[i]);
            maxDiff = double.IsNaN(diff) ? double.PositiveInfinity : Math.Max(maxDiff, diff);
            maxExpected = Math.Max(maxExpected, Math.Abs(expected[i]));
        }

        return maxExpected == 0 ? maxDiff : maxDiff / maxExpected;
    }

    private static string Format(long[] shape) => "[" + string.Join(", ", shape) + "]";
}
