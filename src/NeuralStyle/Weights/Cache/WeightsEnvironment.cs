namespace NeuralStyle.Weights.Cache;

/// <summary>Reads the environment variables that place the weights caches.</summary>
/// <remarks>
/// Injectable so that tests, which run in parallel with others in one process, can give their own
/// <c>NEURAL_STYLE_HOME</c> and <c>TORCH_HOME</c> without setting process-wide variables.
/// </remarks>
/// <param name="variable">Returns a variable's value, or null when it is not set.</param>
public sealed class WeightsEnvironment(Func<string, string?> variable)
{
    /// <summary>The process's own environment.</summary>
    public static WeightsEnvironment Process { get; } = new(Environment.GetEnvironmentVariable);

    /// <summary>An environment holding just <paramref name="variables"/>.</summary>
    public static WeightsEnvironment From(IReadOnlyDictionary<string, string> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        return new WeightsEnvironment(name => variables.TryGetValue(name, out string? value) ? value : null);
    }

    /// <summary>A variable's value; null when it is unset or empty (an empty value means unset, as in the XDG rules).</summary>
    public string? Get(string name)
    {
        string? value = variable(name);
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>The user's home directory: <c>$HOME</c>, else the operating system's user profile.</summary>
    public string Home => Get("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
}
