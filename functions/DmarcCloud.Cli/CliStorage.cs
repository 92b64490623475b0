using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;

namespace DmarcCloud.Cli;

/// <summary>
/// Storage clients for the commands: a malformed connection string is a <see cref="CliFailure"/> (exit 4) naming
/// the problem (never echoing the key), and retries are few and short so that storage that is down is reported
/// within seconds.
/// </summary>
internal static class CliStorage
{
    public static BlobContainerClient Container(string connectionString, string name)
    {
        var options = new BlobClientOptions();
        Configure(options);
        return Create(() => new BlobContainerClient(connectionString, name, options));
    }

    public static TableServiceClient Tables(string connectionString)
    {
        var options = new TableClientOptions();
        Configure(options);
        return Create(() => new TableServiceClient(connectionString, options));
    }

    private static void Configure(ClientOptions options)
    {
        options.Retry.MaxRetries = 1;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
    }

    private static T Create<T>(Func<T> create)
    {
        try
        {
            return create();
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException or UriFormatException)
        {
            throw CliFailure.Unavailable($"the storage connection string is malformed ({ex.GetType().Name}: {FirstLine(ex.Message)})", ex);
        }
    }

    internal static string FirstLine(string text)
    {
        var end = text.AsSpan().IndexOfAny('\r', '\n');
        return end < 0 ? text : text[..end];
    }
}
