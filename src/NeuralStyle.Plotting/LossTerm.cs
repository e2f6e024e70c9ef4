using NeuralStyle.Jobs;

namespace NeuralStyle.Plotting;

/// <summary>One term of the losses as plots draw it: its name, its colour and its value in a <see cref="LossPoint"/>.</summary>
/// <param name="Name">The name the console prints it under ("content", "style", "tv", "total").</param>
/// <param name="Color">Its colour, "#RRGGBB" (a web page drawing the same plot can use the same colours).</param>
public sealed record LossTerm(string Name, string Color)
{
    /// <summary>
    /// The four terms in the order the seed prints them. Colours from Okabe and Ito's palette, which stays distinct
    /// under the common colour-vision deficiencies; the total is the darkest, the one to read first.
    /// </summary>
    public static IReadOnlyList<LossTerm> All { get; } =
    [
        new("content", "#0072B2"),
        new("style", "#D55E00"),
        new("tv", "#009E73"),
        new("total", "#3B1C5A"),
    ];

    /// <summary>The value of this term in <paramref name="point"/>.</summary>
    public double ValueOf(LossPoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        return Name switch
        {
            "content" => point.Content,
            "style" => point.Style,
            "tv" => point.TotalVariation,
            _ => point.Total,
        };
    }
}
