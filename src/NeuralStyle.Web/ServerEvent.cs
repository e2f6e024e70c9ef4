using System.Text.Json;

namespace NeuralStyle.Web;

/// <summary>One server-sent event: its name and its JSON data.</summary>
internal sealed record ServerEvent(string Name, string Data)
{
    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static ServerEvent Of<T>(string name, T data) => new(name, JsonSerializer.Serialize(data, Json));

    /// <summary>The event in the wire format (data is one line: JSON has no raw newlines).</summary>
    public string Wire() => $"event: {Name}\ndata: {Data}\n\n";
}
