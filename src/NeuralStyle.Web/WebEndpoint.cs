using System.Globalization;
using System.Net;

namespace NeuralStyle.Web;

/// <summary>Where a web view listens: <c>[HOST:]PORT</c>, the host 127.0.0.1 unless given (port 0: any free port).</summary>
public sealed record WebEndpoint(IPAddress Address, int Port)
{
    /// <summary>The default host: only this machine can connect.</summary>
    public static IPAddress DefaultAddress { get; } = IPAddress.Loopback;

    /// <summary>True when only this machine can connect.</summary>
    public bool IsLoopback => IPAddress.IsLoopback(Address);

    /// <summary>Reads <c>PORT</c>, <c>HOST:PORT</c> or <c>[IPV6]:PORT</c>; HOST is an IP address or <c>localhost</c>.</summary>
    /// <exception cref="FormatException">The text is none of those; the message says what is wrong.</exception>
    public static WebEndpoint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string value = text.Trim();
        int colon = value.LastIndexOf(':');
        string host = colon < 0 ? "" : value[..colon];
        string port = colon < 0 ? value : value[(colon + 1)..];
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number > IPEndPoint.MaxPort)
        {
            throw new FormatException($"'{text}' is not [HOST:]PORT: the port must be a number from 0 to {IPEndPoint.MaxPort}");
        }

        return new WebEndpoint(HostAddress(host, text), number);
    }

    /// <summary>The address a browser on this machine opens (a wildcard host is reached on the loopback).</summary>
    public Uri BrowserUri(int port)
    {
        IPAddress shown = Address.Equals(IPAddress.Any) ? IPAddress.Loopback : Address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback : Address;
        string host = shown.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{shown}]" : shown.ToString();
        return new Uri($"http://{host}:{port.ToString(CultureInfo.InvariantCulture)}/");
    }

    private static IPAddress HostAddress(string host, string text)
    {
        if (host.Length == 0)
        {
            return DefaultAddress;
        }

        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }

        string bare = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        return IPAddress.TryParse(bare, out IPAddress? address)
            ? address
            : throw new FormatException($"'{text}' is not [HOST:]PORT: the host must be an IP address or localhost (a name would be resolved to addresses we could not all listen on)");
    }
}
