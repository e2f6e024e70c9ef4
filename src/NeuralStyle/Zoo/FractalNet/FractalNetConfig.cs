namespace NeuralStyle.Zoo.FractalNet;

/// <summary>The shape and the regularisation of a FractalNet; the defaults are the paper's CIFAR network (B = 5, C = 3, 20 layers).</summary>
/// <remarks>
/// khanrc/pt.fractalnet gives the channels as a first width doubled after every block but the last two
/// (64 -> 64,128,256,512,512); here they are listed per block, which gives the same default and any other schedule.
/// </remarks>
public sealed record FractalNetConfig
{
    /// <summary>Columns C of every block: a block is 2^C - 1 convolution units, 2^(C-1) deep.</summary>
    public int Columns { get; init; } = 3;

    /// <summary>Output channels of each block; their number is the number of blocks B.</summary>
    public IReadOnlyList<int> Channels { get; init; } = [64, 128, 256, 512, 512];

    /// <summary>Dropout probability of the units of each block (one value per block).</summary>
    public IReadOnlyList<double> Dropout { get; init; } = [0.0, 0.1, 0.2, 0.3, 0.4];

    /// <summary>Output classes of the FC head.</summary>
    public int Classes { get; init; } = 10;

    /// <summary>Channels of the input image.</summary>
    public int InputChannels { get; init; } = 3;

    /// <summary>Side of the square input; the head's FC reads the (InputSize / 2^B)^2 map of the last block.</summary>
    public int InputSize { get; init; } = 32;

    /// <summary>Local drop-path: probability that a join drops each of its inputs (one always survives).</summary>
    public double LocalDropProbability { get; init; } = 0.15;

    /// <summary>Global drop-path: fraction of training mini-batches that run one column of the whole network.</summary>
    public double GlobalDropFraction { get; init; } = 0.5;

    /// <summary>Number of blocks B.</summary>
    public int Blocks => Channels.Count;

    /// <summary>Convolution units along the deepest column of a block: 2^(C-1).</summary>
    public int Depth => 1 << (Columns - 1);

    /// <summary>Side of the last block's pooled map, which the FC head flattens.</summary>
    public int FinalSize => InputSize >> Blocks;

    /// <summary>Throws when the configuration cannot be built.</summary>
    public void Validate()
    {
        if (Columns is < 1 or > 10)
        {
            throw new ArgumentException($"FractalNet needs 1 to 10 columns, not {Columns}");
        }

        if (Channels.Count < 1 || Channels.Any(c => c < 1))
        {
            throw new ArgumentException("FractalNet needs at least one block and a positive channel count for each");
        }

        if (Dropout.Count != Channels.Count || Dropout.Any(p => p is < 0 or >= 1))
        {
            throw new ArgumentException($"FractalNet needs one dropout probability in [0, 1) per block ({Channels.Count}), got {Dropout.Count}");
        }

        if (Classes < 1 || InputChannels < 1)
        {
            throw new ArgumentException("FractalNet needs at least one class and one input channel");
        }

        if (InputSize < 1 || InputSize % (1 << Blocks) != 0)
        {
            throw new ArgumentException($"the input side {InputSize} must be a multiple of 2^{Blocks} (one 2x2 max-pool per block)");
        }

        if (LocalDropProbability is < 0 or >= 1 || GlobalDropFraction is < 0 or > 1)
        {
            throw new ArgumentException("the local drop-path probability must be in [0, 1) and the global fraction in [0, 1]");
        }
    }
}
