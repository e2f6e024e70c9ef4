using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using NeuralStyle.Zoo.Blocks;

namespace NeuralStyle.Zoo.FractalNet;

/// <summary>FractalNet (Larsson, Maire and Shakhnarovich 2016): B fractal blocks of C columns, a 2x2 max-pool after each, an FC head.</summary>
/// <remarks>
/// <para>Follows khanrc/pt.fractalnet, fractal.py at commit 05eed3f9aa54a29691442b0cab5faa17c43b6a7a (the model its
/// train.py uses), with its defaults: zero padding, max-pool after every block (no global average pool), no 1x1
/// doubler, dropout before batch norm, xavier-uniform initialisation. State-dict keys are the port's:
/// <c>layers.{2b}.columns.{c}.{depth}.conv.weight</c> / <c>.bn.*</c> for block b, <c>layers.{2B+1}</c> for the FC
/// (<c>layers.{2b+1}</c> are the pools, <c>layers.{2B}</c> the flatten). Column 0 is the shallowest.</para>
/// <para>Deviations, training only: global drop-path picks whole mini-batches (the paper) where the port makes half of
/// every mini-batch's samples global; when it does, only the chosen column runs, so the other columns' batch-norm
/// statistics are not updated on that mini-batch (in the port they also see it). Evaluation is identical.</para>
/// <para>The default is the paper's CIFAR configuration and the port's: 33,724,618 parameters for 10 classes
/// (the paper's "38.6M" is not reproducible from its own description).</para>
/// </remarks>
public sealed class FractalNetModel : ZooModel
{
    [ComponentName(Name = "layers")]
    private readonly ModuleList<nn.Module> _layers;

    /// <summary>Builds the network with xavier-uniform weights (the port's default initialisation).</summary>
    public FractalNetModel(FractalNetConfig config, string name = "fractalnet")
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        _layers = new ModuleList<nn.Module>();
        long channels = config.InputChannels;
        for (int b = 0; b < config.Blocks; b++)
        {
            _layers.Add(new FractalBlock(b, config.Columns, channels, config.Channels[b], config.Dropout[b]));
            _layers.Add(nn.MaxPool2d(2));
            channels = config.Channels[b];
        }

        _layers.Add(nn.Flatten());
        _layers.Add(nn.Linear(channels * config.FinalSize * config.FinalSize, config.Classes));
        register_module("layers", _layers);
        Initialise(this);
    }

    /// <summary>The configuration the network was built with.</summary>
    public FractalNetConfig Config { get; }

    /// <summary>Source of the drop-path decisions in training mode; null: TorchSharp's default generator.</summary>
    public Generator? DropPathGenerator { get; set; }

    /// <summary>The plan the last forward pass used (training: drawn by <see cref="DropPathSampler"/>; evaluation: <see cref="DropPathPlan.AllColumns"/>).</summary>
    public DropPathPlan? LastDropPath { get; private set; }

    /// <summary>Block <paramref name="index"/>.</summary>
    public FractalBlock Block(int index) => (FractalBlock)_layers[2 * index];

    /// <summary>The FC head.</summary>
    public Linear Head => (Linear)_layers[^1];

    /// <summary>Runs the network: in training mode with a drop-path drawn for the mini-batch, in evaluation mode with every column.</summary>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        DropPathPlan plan = training ? DropPathSampler.Sample(Config, input.shape[0], DropPathGenerator ?? ZooRandom.Current) : DropPathPlan.AllColumns;
        return Forward(input, plan);
    }

    /// <summary>Runs the network with a given drop-path, in either mode (<see cref="DropPathPlan.Global"/> forces one column).</summary>
    public Tensor Forward(Tensor input, DropPathPlan plan)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.GlobalColumn >= Config.Columns)
        {
            throw new ArgumentOutOfRangeException(nameof(plan), plan.GlobalColumn, $"the network has {Config.Columns} columns");
        }

        if (plan.LocalMasks is { } masks && masks.Count != Config.Blocks)
        {
            throw new ArgumentException($"the plan has masks for {masks.Count} blocks, the network has {Config.Blocks}", nameof(plan));
        }

        LastDropPath = plan;
        Tensor x = input;
        foreach (nn.Module layer in _layers)
        {
            x = layer switch
            {
                FractalBlock block => block.call(x, plan),
                nn.Module<Tensor, Tensor> plain => plain.call(x),
                _ => throw new InvalidOperationException($"unexpected layer {layer.GetType().Name}"),
            };
        }

        return x;
    }

    /// <summary>Column <paramref name="column"/> (0 = shallowest) as a plain deep network, with a copy of its weights and the head's.</summary>
    /// <remarks>Its output equals <c>Forward(input, DropPathPlan.Global(column))</c> in the same mode.</remarks>
    public FractalColumnNetwork ExtractColumn(int column)
    {
        if (column < 0 || column >= Config.Columns)
        {
            throw new ArgumentOutOfRangeException(nameof(column), column, $"the network has {Config.Columns} columns");
        }

        var units = new List<IReadOnlyList<FractalConvUnit>>(Config.Blocks);
        for (int b = 0; b < Config.Blocks; b++)
        {
            units.Add([.. Block(b).Column(column).Units.Select(u => u.Copy())]);
        }

        Linear head = nn.Linear(Head.in_features, Head.out_features);
        head.load_state_dict(Head.state_dict());
        var network = new FractalColumnNetwork($"{GetName()}-column{column}", units, head);
        network.train(training);
        return network;
    }

    private static void Initialise(nn.Module root)
    {
        // The port's init='xavier': xavier-uniform for every weight with more than one dimension, BN weights 1,
        // every other vector (BN and FC biases) 0.
        using var noGrad = no_grad();
        foreach ((string name, Parameter parameter) in root.named_parameters())
        {
            if (parameter.dim() > 1)
            {
                ZooInit.XavierUniform(parameter);
            }
            else if (name.EndsWith("bn.weight", StringComparison.Ordinal))
            {
                ZooInit.Constant(parameter, 1);
            }
            else
            {
                ZooInit.Constant(parameter, 0);
            }
        }
    }
}
