namespace NeuralStyle.Zoo.FractalNet;

/// <summary>Where the convolution units of a fractal block sit: column c (0 = shallowest) has a unit at every 2^(C-1-c)-th depth.</summary>
/// <remarks>
/// This is the expansion f_1(z) = conv(z), f_{C+1}(z) = join(f_C(f_C(z)), conv(z)) with nested joins merged, laid
/// out as khanrc/pt.fractalnet does: depth i (0-based) has a unit in column c when (i + 1) is a multiple of
/// 2^(C-1-c), so the columns with a unit at a depth are always the deepest ones, and after every depth one join
/// averages their outputs and feeds every one of them.
/// </remarks>
public static class FractalLayout
{
    /// <summary>Whether column <paramref name="column"/> of a <paramref name="columns"/>-column block has a unit at <paramref name="depth"/>.</summary>
    public static bool HasUnit(int columns, int column, int depth) => (depth + 1) % (1 << (columns - 1 - column)) == 0;

    /// <summary>The first (shallowest) column with a unit at <paramref name="depth"/>; every later column has one too.</summary>
    public static int FirstColumnAt(int columns, int depth)
    {
        int first = columns - 1;
        while (first > 0 && HasUnit(columns, first - 1, depth))
        {
            first--;
        }

        return first;
    }

    /// <summary>How many inputs the join after <paramref name="depth"/> averages.</summary>
    public static int JoinWidth(int columns, int depth) => columns - FirstColumnAt(columns, depth);

    /// <summary>The depths of column <paramref name="column"/>'s units, in order (2^column of them).</summary>
    public static IEnumerable<int> UnitDepths(int columns, int column)
    {
        int step = 1 << (columns - 1 - column);
        for (int depth = step - 1; depth < 1 << (columns - 1); depth += step)
        {
            yield return depth;
        }
    }
}
