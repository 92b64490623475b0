namespace DmarcCloud.Cli;

/// <summary>Reads input files for the commands: a missing, unreadable or empty file is a <see cref="CliFailure"/> (exit 3).</summary>
internal static class CliFiles
{
    /// <summary>The bytes of <paramref name="path"/>; <paramref name="what"/> names the file in the message ("message file").</summary>
    public static async Task<byte[]> ReadAsync(string path, string what, CancellationToken cancellationToken)
    {
        EnsureExists(path, what);
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw CliFailure.BadInput($"{what} '{path}' cannot be read: {ex.Message}");
        }

        return bytes.Length == 0 ? throw CliFailure.BadInput($"{what} '{path}' is empty") : bytes;
    }

    /// <summary>Throws exit 3 when <paramref name="path"/> is not an existing file.</summary>
    public static void EnsureExists(string path, string what)
    {
        if (!File.Exists(path))
        {
            throw CliFailure.BadInput(Directory.Exists(path) ? $"{what} '{path}' is a directory" : $"{what} '{path}' not found");
        }
    }
}
