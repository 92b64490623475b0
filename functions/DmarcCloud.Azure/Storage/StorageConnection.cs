using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace DmarcCloud.Azure.Storage;

/// <summary>
/// How to reach the storage account, in the shape of the Functions host's <c>AzureWebJobsStorage</c> setting:
/// either a connection string (locally: Azurite) or identity-based settings
/// (<c>AzureWebJobsStorage__accountName</c> or <c>__blobServiceUri</c>/<c>__queueServiceUri</c>/<c>__tableServiceUri</c>,
/// <c>__credential=managedidentity</c>, <c>__clientId</c>). In Azure no key or connection string is used.
/// </summary>
public sealed record StorageConnection
{
    /// <summary>A connection string (Azurite or development); wins when set.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>The account name; service URIs default to <c>https://{name}.{service}.core.windows.net</c>.</summary>
    public string? AccountName { get; init; }

    /// <summary>The Blob service URI, when not derived from <see cref="AccountName"/>.</summary>
    public Uri? BlobServiceUri { get; init; }

    /// <summary>The Queue service URI, when not derived from <see cref="AccountName"/>.</summary>
    public Uri? QueueServiceUri { get; init; }

    /// <summary>The Table service URI, when not derived from <see cref="AccountName"/>.</summary>
    public Uri? TableServiceUri { get; init; }

    /// <summary><c>managedidentity</c> for a managed identity; anything else uses <see cref="DefaultAzureCredential"/>.</summary>
    public string? Credential { get; init; }

    /// <summary>The client id of a user-assigned managed identity.</summary>
    public string? ClientId { get; init; }

    /// <summary>Whether enough is set to reach a storage account.</summary>
    public bool IsConfigured =>
        !string.IsNullOrWhiteSpace(ConnectionString) || !string.IsNullOrWhiteSpace(AccountName) ||
        BlobServiceUri is not null || TableServiceUri is not null || QueueServiceUri is not null;

    /// <summary>A Blob service client.</summary>
    public BlobServiceClient CreateBlobServiceClient() =>
        !string.IsNullOrWhiteSpace(ConnectionString)
            ? new BlobServiceClient(ConnectionString)
            : new BlobServiceClient(ServiceUri(BlobServiceUri, "blob"), CreateCredential());

    /// <summary>A Queue service client.</summary>
    public QueueServiceClient CreateQueueServiceClient() =>
        !string.IsNullOrWhiteSpace(ConnectionString)
            ? new QueueServiceClient(ConnectionString)
            : new QueueServiceClient(ServiceUri(QueueServiceUri, "queue"), CreateCredential());

    /// <summary>A Table service client.</summary>
    public TableServiceClient CreateTableServiceClient() =>
        !string.IsNullOrWhiteSpace(ConnectionString)
            ? new TableServiceClient(ConnectionString)
            : new TableServiceClient(ServiceUri(TableServiceUri, "table"), CreateCredential());

    private Uri ServiceUri(Uri? explicitUri, string service) =>
        explicitUri ?? (string.IsNullOrWhiteSpace(AccountName)
            ? throw new InvalidOperationException($"AzureWebJobsStorage: set a connection string, __accountName or __{service}ServiceUri.")
            : new Uri($"https://{AccountName}.{service}.core.windows.net"));

    private TokenCredential CreateCredential() =>
        string.Equals(Credential, "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(string.IsNullOrWhiteSpace(ClientId)
                ? ManagedIdentityId.SystemAssigned
                : ManagedIdentityId.FromUserAssignedClientId(ClientId))
            : new DefaultAzureCredential();
}
