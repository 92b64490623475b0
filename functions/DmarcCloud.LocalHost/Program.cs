// dmarccloud-localhost: the local runner that plays the Azure Functions host against Azurite (development tool).
// See docs/local-runner.md.
using System.Runtime.InteropServices;
using DmarcCloud.LocalHost;

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});
return await RunnerCommands.RunAsync(args, Console.Out, Console.Error, stop.Token).ConfigureAwait(false);
