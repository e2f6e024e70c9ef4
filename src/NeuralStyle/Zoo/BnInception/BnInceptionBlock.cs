using static TorchSharp.torch;

namespace NeuralStyle.Zoo.BnInception;

/// <summary>A BN-Inception module ("inception_3a" ...): 1x1; 1x1 then 3x3; 1x1 then two 3x3; pool (+ 1x1 projection), concatenated.</summary>
/// <remarks>Like <see cref="BnInceptionUnit"/>, not a module: its layers are registered flat on the network, in Cadene's order.</remarks>
public sealed class BnInceptionBlock
{
    private readonly BnInceptionUnit? _1x1;
    private readonly BnInceptionUnit _3x3Reduce;
    private readonly BnInceptionUnit _3x3;
    private readonly BnInceptionUnit _double3x3Reduce;
    private readonly BnInceptionUnit _double3x3First;
    private readonly BnInceptionUnit _double3x3Second;
    private readonly nn.Module<Tensor, Tensor> _pool;
    private readonly BnInceptionUnit? _poolProjection;

    /// <summary>Registers module <paramref name="name"/> on <paramref name="owner"/>; widths as in the paper's table 1.</summary>
    /// <remarks>With <see cref="BnInceptionPooling.Reduction"/> there is no 1x1 branch and no projection (pass 0) and both 3x3 branches end with stride 2.</remarks>
    public BnInceptionBlock(nn.Module owner, string name, long inChannels, long ch1x1, long ch3x3Reduce, long ch3x3, long doubleReduce, long doubleChannels, long poolProjection, BnInceptionPooling pooling)
    {
        ArgumentNullException.ThrowIfNull(owner);
        bool reduction = pooling == BnInceptionPooling.Reduction;
        if (reduction != (ch1x1 == 0) || reduction != (poolProjection == 0))
        {
            throw new ArgumentException("a reduction module has neither a 1x1 branch nor a pool projection; the others have both");
        }

        long stride = reduction ? 2 : 1;
        BnInceptionUnit Unit(string suffix, long inC, long outC, long kernel, long s = 1) =>
            BnInceptionUnit.Register(owner, $"{name}_{suffix}", $"{name}_relu_{suffix}", inC, outC, kernel, s, kernel / 2);

        if (!reduction)
        {
            _1x1 = Unit("1x1", inChannels, ch1x1, 1);
        }

        _3x3Reduce = Unit("3x3_reduce", inChannels, ch3x3Reduce, 1);
        _3x3 = Unit("3x3", ch3x3Reduce, ch3x3, 3, stride);
        _double3x3Reduce = Unit("double_3x3_reduce", inChannels, doubleReduce, 1);
        _double3x3First = Unit("double_3x3_1", doubleReduce, doubleChannels, 3);
        _double3x3Second = Unit("double_3x3_2", doubleChannels, doubleChannels, 3, stride);
        _pool = pooling switch
        {
            BnInceptionPooling.Average => nn.AvgPool2d(3, stride: 1, padding: 1, ceil_mode: true, count_include_pad: true),
            BnInceptionPooling.Max => nn.MaxPool2d(3, stride: 1, padding: 1, ceil_mode: true),
            _ => nn.MaxPool2d(3, stride: 2, ceil_mode: true),
        };
        owner.register_module($"{name}_pool", _pool);
        if (!reduction)
        {
            _poolProjection = Unit("pool_proj", inChannels, poolProjection, 1);
        }

        OutChannels = ch1x1 + ch3x3 + doubleChannels + (reduction ? inChannels : poolProjection);
    }

    /// <summary>Channels of the output.</summary>
    public long OutChannels { get; }

    /// <summary>The module's output: its branches concatenated along the channels, 1x1 first.</summary>
    public Tensor Apply(Tensor input)
    {
        var branches = new List<Tensor>(4);
        if (_1x1 is not null)
        {
            branches.Add(_1x1.Apply(input));
        }

        branches.Add(_3x3.Apply(_3x3Reduce.Apply(input)));
        branches.Add(_double3x3Second.Apply(_double3x3First.Apply(_double3x3Reduce.Apply(input))));
        Tensor pooled = _pool.call(input);
        branches.Add(_poolProjection is null ? pooled : _poolProjection.Apply(pooled));
        return cat(branches, 1);
    }
}
