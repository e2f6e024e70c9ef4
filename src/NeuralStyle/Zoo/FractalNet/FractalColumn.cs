using static TorchSharp.torch;

namespace NeuralStyle.Zoo.FractalNet;

/// <summary>The units of one column of a fractal block, registered under their depth (khanrc: <c>columns.{c}.{depth}</c>).</summary>
/// <remarks>khanrc keeps a full-depth ModuleList with None where a column has no unit, so the keys skip those depths.</remarks>
public sealed class FractalColumn : nn.Module
{
    private readonly Dictionary<int, FractalConvUnit> _units = [];

    /// <summary>Builds column <paramref name="column"/> of a block with <paramref name="columns"/> columns; its first unit reads the block's input.</summary>
    public FractalColumn(int columns, int column, long inChannels, long outChannels, double dropout)
        : base(nameof(FractalColumn))
    {
        long channels = inChannels;
        foreach (int depth in FractalLayout.UnitDepths(columns, column))
        {
            var unit = new FractalConvUnit(channels, outChannels, dropout);
            _units.Add(depth, unit);
            register_module(depth.ToString(System.Globalization.CultureInfo.InvariantCulture), unit);
            channels = outChannels;
        }
    }

    /// <summary>The unit at <paramref name="depth"/>.</summary>
    /// <exception cref="KeyNotFoundException">The column has no unit there.</exception>
    public FractalConvUnit this[int depth] => _units[depth];

    /// <summary>The units in depth order.</summary>
    public IEnumerable<FractalConvUnit> Units => _units.OrderBy(u => u.Key).Select(u => u.Value);
}
