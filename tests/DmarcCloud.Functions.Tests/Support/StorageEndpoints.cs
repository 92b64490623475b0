namespace DmarcCloud.Functions.Tests;

/// <summary>Connection strings for Azurite's account with some endpoints pointed at ports nothing listens on.</summary>
internal static class StorageEndpoints
{
    /// <summary>The account key of <paramref name="connectionString"/> (Azurite's well-known development key).</summary>
    public static string AccountKey(string connectionString) =>
        connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Split('=', 2))
            .Single(kv => kv[0].Equals("AccountKey", StringComparison.OrdinalIgnoreCase))[1];

    /// <summary>An account whose blob/queue/table endpoints are each Azurite's (<c>null</c>) or a closed port.</summary>
    public static string With(string azurite, int? blobPort, int? queuePort, int? tablePort)
    {
        var account = new global::Azure.Data.Tables.TableServiceClient(azurite).AccountName;
        string Endpoint(string service, int? port, int azuritePort) => $"{service}Endpoint=http://127.0.0.1:{port ?? azuritePort}/{account};";
        return $"DefaultEndpointsProtocol=http;AccountName={account};AccountKey={AccountKey(azurite)};" +
            Endpoint("Blob", blobPort, new global::Azure.Storage.Blobs.BlobServiceClient(azurite).Uri.Port) +
            Endpoint("Queue", queuePort, new global::Azure.Storage.Queues.QueueServiceClient(azurite).Uri.Port) +
            Endpoint("Table", tablePort, new global::Azure.Data.Tables.TableServiceClient(azurite).Uri.Port);
    }

    /// <summary>A loopback port that nothing listens on (bound, read, released).</summary>
    public static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
