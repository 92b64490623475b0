using System.Collections.Concurrent;
using DmarcCloud.Testing;

namespace DmarcCloud.LocalHost.Tests.Hosting;

/// <summary>
/// A test class that runs the fixture app on a host of its own, on an Azurite of its own (started per test, stopped and
/// its output folder deleted after): for tests that break the host or its storage on purpose.
/// </summary>
public abstract class OwnAzuriteTest(string name) : IAsyncLifetime
{
    private AzuriteProcess? _azurite;

    /// <summary>The fixture app's output folder (its <c>collect</c> and <c>tick</c> files, the host log).</summary>
    protected string Output { get; } = Directory.CreateTempSubdirectory($"dmarccloud-{name}-").FullName;

    /// <summary>The host's console lines.</summary>
    protected ConcurrentQueue<string> Console { get; } = new();

    protected AzuriteProcess Azurite => _azurite ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync() => _azurite = await AzuriteProcess.StartAsync(RepositoryPaths.Root);

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }

        Directory.Delete(Output, recursive: true);
    }
}
