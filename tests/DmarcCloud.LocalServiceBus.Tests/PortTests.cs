using System.Net.Sockets;
using DmarcCloud.LocalServiceBus.Configuration;

namespace DmarcCloud.LocalServiceBus.Tests;

public sealed class PortTests
{
    [Fact]
    public async Task Second_broker_on_a_port_in_use_fails_instead_of_sharing_it()
    {
        await using var first = await LocalServiceBusBroker.StartAsync(new LocalServiceBusOptions().AddQueue("q"));
        var options = new LocalServiceBusOptions { Port = first.Port }.AddQueue("q");

        var error = await Assert.ThrowsAsync<SocketException>(() => LocalServiceBusBroker.StartAsync(options));
        Assert.Equal(SocketError.AddressAlreadyInUse, error.SocketErrorCode);
    }
}
