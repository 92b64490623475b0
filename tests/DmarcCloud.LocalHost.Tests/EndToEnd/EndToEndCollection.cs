using DmarcCloud.Testing;

namespace DmarcCloud.LocalHost.Tests.EndToEnd;

/// <summary>
/// The end-to-end tests share one Azurite and the production queue and table names, so they run one at a time
/// (one collection); each starts from empty queues and tables (<see cref="PipelineHarness"/>).
/// </summary>
[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "EndToEnd";
}
