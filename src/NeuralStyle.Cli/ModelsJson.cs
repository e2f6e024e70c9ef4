using System.Globalization;
using System.Text.Json;

namespace NeuralStyle.Cli;

/// <summary>Formatting shared by the models commands.</summary>
internal static class ModelsJson
{
    public static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    /// <summary>A figure in G (1e9) with up to three decimals ("0.714 G", "15.47 G").</summary>
    public static string Giga(double giga) => giga.ToString(giga >= 0.01 ? "0.###" : "0.######", CultureInfo.InvariantCulture) + " G";
}
