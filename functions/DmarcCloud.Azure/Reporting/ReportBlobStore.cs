using System.Globalization;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using DmarcCloud.Azure.Storage;

namespace DmarcCloud.Azure.Reporting;

/// <summary>Report files in the blob container <c>reports</c>, named <c>yyyy-MM-dd/&lt;filename&gt;</c>.</summary>
public sealed class ReportBlobStore
{
    /// <summary>The container name (docs/architecture.md).</summary>
    public const string ContainerName = ResourceNames.ReportsContainer;

    private readonly BlobContainerClient _container;
    private readonly CreateOnFirstUse _created;

    /// <summary>Creates a store over the <c>reports</c> container.</summary>
    public ReportBlobStore(BlobContainerClient container)
    {
        ArgumentNullException.ThrowIfNull(container);
        _container = container;
        _created = new CreateOnFirstUse(() => _container.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None));
    }

    /// <summary>The blob name of a report file.</summary>
    public static string BlobName(DateOnly day, string fileName) =>
        day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "/" + fileName;

    /// <summary>Creates the container when it does not exist (uploads also do so on first use).</summary>
    public Task CreateIfNotExistsAsync() => _created.EnsureAsync();

    /// <summary>Stores a report (overwriting: a rebuilt report has the same name and bytes).</summary>
    public async Task UploadAsync(string blobName, ReadOnlyMemory<byte> gzip, CancellationToken cancellationToken = default)
    {
        await _created.EnsureAsync().ConfigureAwait(false);
        var options = new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/gzip" } };
        await _container.GetBlobClient(blobName).UploadAsync(BinaryData.FromBytes(gzip), options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a stored report.</summary>
    public async Task<ReadOnlyMemory<byte>> DownloadAsync(string blobName, CancellationToken cancellationToken = default)
    {
        var result = await _container.GetBlobClient(blobName).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
        return result.Value.Content.ToMemory();
    }
}
