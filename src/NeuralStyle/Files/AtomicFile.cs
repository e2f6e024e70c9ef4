namespace NeuralStyle.Files;

/// <summary>Replaces a file atomically: writes FILE.tmp beside it, flushes it to disk, then renames it over FILE.</summary>
/// <remarks>
/// A failure at any point (a full disk, a read-only directory, an error of the caller's writer) removes the temporary
/// file and leaves the previous FILE as it was, so a reader finds either the old contents or the new ones, never half
/// of them. The temporary name is fixed (FILE.tmp, not a random one) so that what a killed process leaves behind is
/// recognisably FILE's and the next run of the same files can remove it (see Jobs.StaleTemporaryFiles).
/// </remarks>
internal static class AtomicFile
{
    /// <summary>The temporary file <see cref="Write"/> uses for <paramref name="path"/>.</summary>
    public static string TemporaryPathFor(string path) => path + ".tmp";

    /// <summary>Writes <paramref name="path"/> with <paramref name="write"/>, through the temporary file and a rename.</summary>
    /// <param name="path">The file to replace (or create); its directory must exist.</param>
    /// <param name="what">What the file is, for the error message ("the run state").</param>
    /// <param name="write">Writes the whole contents to the stream it is given.</param>
    /// <param name="wrap">Test seam: wraps the temporary file's stream (given the target path), e.g. to fail like a full disk.</param>
    /// <exception cref="IOException">The file could not be written (message: what, the file and the cause); the temporary file is gone and the previous file untouched.</exception>
    public static void Write(string path, string what, Action<Stream> write, Func<string, Stream, Stream>? wrap = null)
    {
        ArgumentNullException.ThrowIfNull(write);
        string temp = TemporaryPathFor(path);
        try
        {
            using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                Stream target = wrap?.Invoke(path, file) ?? file;
                write(target);
                target.Flush();
                // On the disk before the rename: after a crash the name must hold the new contents, not an empty file.
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new IOException($"cannot write {what} {path}: {Cause(e, temp)}", e);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    // .NET's messages end with the temporary file's name ("No space left on device : '/out/a.state.tmp'"); the
    // message already names the file the user knows, so only the cause is kept, on one line.
    internal static string Cause(Exception e, string temp) =>
        e.Message.Split('\n', 2)[0].Replace($" : '{temp}'", string.Empty, StringComparison.Ordinal).TrimEnd().TrimEnd('.');

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the write's own failure is what the caller needs to see.
        }
    }
}
