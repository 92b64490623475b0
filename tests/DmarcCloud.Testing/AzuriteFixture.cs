using Xunit;

namespace DmarcCloud.Testing;

/// <summary>
/// One in-memory Azurite per test class (or collection) on free loopback ports. Tests that use it fail
/// with a clear message when Azurite is not installed: run scripts/setup.sh (scripts/test.sh does).
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteProcess? _azurite;

    /// <summary>The running Azurite.</summary>
    public AzuriteProcess Azurite => _azurite ?? throw new InvalidOperationException("Azurite is not started.");

    /// <summary>The connection string for Blob, Queue and Table clients.</summary>
    public string ConnectionString => Azurite.ConnectionString;

    /// <inheritdoc />
    public async Task InitializeAsync() => _azurite = await AzuriteProcess.StartAsync(RepositoryPaths.Root).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync().ConfigureAwait(false);
        }
    }
}
