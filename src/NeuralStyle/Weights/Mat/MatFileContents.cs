using System.Diagnostics.CodeAnalysis;

namespace NeuralStyle.Weights.Mat;

/// <summary>Everything read from one MAT-file: its header and its variables in file order.</summary>
public sealed class MatFileContents
{
    private readonly Dictionary<string, MatArray> byName;

    internal MatFileContents(string sourceName, string headerText, MatByteOrder byteOrder, IReadOnlyList<MatArray> variables)
    {
        SourceName = sourceName;
        HeaderText = headerText;
        ByteOrder = byteOrder;
        OrderedVariables = variables;
        byName = new Dictionary<string, MatArray>(variables.Count, StringComparer.Ordinal);
        foreach (MatArray v in variables)
        {
            byName.Add(v.Name, v);
        }
    }

    /// <summary>The path or name the file was read from, as used in error messages.</summary>
    public string SourceName { get; }

    /// <summary>The header's descriptive text (e.g. "MATLAB 5.0 MAT-file, Platform: ..."), trimmed.</summary>
    public string HeaderText { get; }

    public MatByteOrder ByteOrder { get; }

    /// <summary>The variables in the order they appear in the file.</summary>
    public IReadOnlyList<MatArray> OrderedVariables { get; }

    public IReadOnlyList<string> VariableNames => OrderedVariables.Select(v => v.Name).ToArray();

    public IReadOnlyDictionary<string, MatArray> Variables => byName;

    public MatArray this[string name] =>
        byName.TryGetValue(name, out MatArray? value)
            ? value
            : throw new KeyNotFoundException(
                $"{SourceName} has no variable '{name}'; it has: {(byName.Count == 0 ? "none" : string.Join(", ", byName.Keys))}.");

    public bool Contains(string name) => byName.ContainsKey(name);

    public bool TryGetVariable(string name, [NotNullWhen(true)] out MatArray? value) => byName.TryGetValue(name, out value);
}
