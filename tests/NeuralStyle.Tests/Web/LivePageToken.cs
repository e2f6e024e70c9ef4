namespace NeuralStyle.Tests.Web;

/// <summary>The stop token a live view's page carries (what its Stop button sends), read as a browser would.</summary>
internal static class LivePageToken
{
    public static async Task<string> ReadAsync(HttpClient http)
    {
        string page = await http.GetStringAsync("/");
        const string marker = "name=\"stop-token\" content=\"";
        int at = page.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0)
        {
            throw new InvalidDataException("the page carries no stop token");
        }

        return page[(at + marker.Length)..page.IndexOf('"', at + marker.Length)];
    }
}
