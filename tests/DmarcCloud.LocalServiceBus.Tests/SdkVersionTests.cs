using System.Reflection;
using Azure.Messaging.ServiceBus;

namespace DmarcCloud.LocalServiceBus.Tests;

/// <summary>
/// The SDK is the only specification of the wire behaviour the broker imitates (docs/local-servicebus.md):
/// when Directory.Packages.props moves Azure.Messaging.ServiceBus, this fails so the suite is rerun and the
/// differences reviewed before the pin here moves too.
/// </summary>
public sealed class SdkVersionTests
{
    const string ConformedSdkVersion = "7.21.0";

    [Fact]
    public void Suite_ran_against_the_SDK_version_the_broker_was_checked_with()
    {
        var assembly = typeof(ServiceBusClient).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? string.Empty;
        Assert.Equal(ConformedSdkVersion, informational.Split('+')[0]);
    }
}
