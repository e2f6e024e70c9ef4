namespace NeuralStyle.Runtime;

/// <summary>Which of LibTorch's own log lines reach standard error.</summary>
/// <remarks>
/// The console belongs to the program: c10's warnings (NNPACK's "Could not initialize NNPACK! Reason: Unsupported
/// hardware." once per convolution on CPUs NNPACK does not know, deprecation notices) are silenced by default, errors
/// still print. <c>TORCH_CPP_LOG_LEVEL</c> (INFO, WARNING, ERROR, FATAL or 0-3), PyTorch's own variable, brings
/// them back; LibTorchSharp never reads it itself.
/// </remarks>
public static class NativeLogLevel
{
    /// <summary>ERROR: what the program uses unless the user asks otherwise.</summary>
    public const int Default = 2;

    /// <summary>The level from <c>TORCH_CPP_LOG_LEVEL</c>, or <see cref="Default"/> when it is unset or not understood.</summary>
    public static int FromEnvironment() => Parse(Environment.GetEnvironmentVariable("TORCH_CPP_LOG_LEVEL")) ?? Default;

    /// <summary>c10's severity for a level name or number, null if <paramref name="value"/> is neither.</summary>
    public static int? Parse(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        "0" or "INFO" => 0,
        "1" or "WARNING" => 1,
        "2" or "ERROR" => 2,
        "3" or "FATAL" => 3,
        _ => null,
    };

    /// <summary>"info", "warning", "error" or "fatal".</summary>
    public static string Name(int level) => level switch
    {
        <= 0 => "info",
        1 => "warning",
        2 => "error",
        _ => "fatal",
    };
}
