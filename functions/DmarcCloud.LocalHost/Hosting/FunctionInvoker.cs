using System.Text.Json.Nodes;
using DmarcCloud.LocalHost.Bindings;
using DmarcCloud.LocalHost.Configuration;
using DmarcCloud.LocalHost.Protocol;

namespace DmarcCloud.LocalHost.Hosting;

/// <summary>
/// One invocation end to end: POST to the handler, print its Logs with the function name, write the outputs
/// when it succeeded (a failed or protocol-error invocation writes none), count the outcome.
/// </summary>
public sealed class FunctionInvoker(HandlerClient client, OutputWriter outputs, Action<string> log)
{
    private long _succeeded;
    private long _failed;
    private long _protocolErrors;
    private long _inFlight;

    /// <summary>Invocations that succeeded (outputs written).</summary>
    public long Succeeded => Interlocked.Read(ref _succeeded);

    /// <summary>Invocations that failed.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Failures that were protocol errors (2xx with an empty or invalid body).</summary>
    public long ProtocolErrors => Interlocked.Read(ref _protocolErrors);

    /// <summary>Invocations running now.</summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>Invokes <paramref name="function"/> and writes its outputs; the result says whether it succeeded.</summary>
    public async Task<InvocationResult> InvokeAsync(FunctionMetadata function, JsonObject payload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(function);
        Interlocked.Increment(ref _inFlight);
        try
        {
            var result = await client.InvokeAsync(function.Name, payload, cancellationToken).ConfigureAwait(false);
            if (result.Response is { } response)
            {
                foreach (var line in response.Logs)
                {
                    log($"[{function.Name}] {line}");
                }

                try
                {
                    await outputs.WriteAsync(function, response, cancellationToken).ConfigureAwait(false);
                }
                catch (OutputBindingException e)
                {
                    result = result with { Response = null, Error = "output binding failed: " + e.Message };
                }
                catch (global::Azure.RequestFailedException e)
                {
                    result = result with { Response = null, Error = $"output binding failed: storage {e.Status} {e.ErrorCode}: {e.Message}" };
                }
            }

            if (result.Succeeded)
            {
                Interlocked.Increment(ref _succeeded);
            }
            else
            {
                Interlocked.Increment(ref _failed);
                if (result.IsProtocolError)
                {
                    Interlocked.Increment(ref _protocolErrors);
                }

                log($"[{function.Name}] invocation {result.InvocationId} failed: {result.Error}");
            }

            return result;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
