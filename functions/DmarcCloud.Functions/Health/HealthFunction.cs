using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using DmarcCloud.Core.Evaluation;
using DmarcCloud.Functions.Evaluation;
using DmarcCloud.Functions.Invocation;
using Microsoft.Extensions.Options;

namespace DmarcCloud.Functions.Health;

/// <summary>
/// Health: <c>GET /api/health</c> (httpTrigger, <c>authLevel: anonymous</c> so probes need no key; it reveals only
/// component names and whether they answer). Checks the inbound container, the verdict table and that an evaluator
/// and a DNS resolver are configured; answers 200 when all are healthy, else 503.
/// </summary>
internal sealed class HealthFunction(
    BlobServiceClient blobs,
    TableServiceClient tables,
    IServiceProvider services,
    IOptions<InboundOptions> inbound,
    DnsResolverDescription dns) : IFunction
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    public static string Name => "Health";

    public async Task<InvocationResult> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        List<ComponentHealth> components =
        [
            await ProbeAsync("blob", async ct =>
            {
                var exists = await blobs.GetBlobContainerClient(inbound.Value.Container).ExistsAsync(ct).ConfigureAwait(false);
                return (exists.Value, exists.Value ? $"container '{inbound.Value.Container}' reachable" : $"container '{inbound.Value.Container}' missing");
            }, cancellationToken).ConfigureAwait(false),
            await ProbeAsync("table", async ct =>
            {
                await foreach (var page in tables.QueryAsync(maxPerPage: 1, cancellationToken: ct).AsPages().ConfigureAwait(false))
                {
                    return (true, "table service reachable");
                }

                return (true, "table service reachable");
            }, cancellationToken).ConfigureAwait(false),
            services.GetService<IMessageEvaluator>() is { } evaluator
                ? new ComponentHealth("evaluator", true, evaluator.GetType().Name)
                : new ComponentHealth("evaluator", false, "no IMessageEvaluator is registered"),
            new ComponentHealth("dns", dns.Configured, dns.Description),
        ];

        var healthy = components.All(c => c.Healthy);
        var report = new HealthReport(healthy ? "healthy" : "unhealthy", components);
        var response = new JsonObject
        {
            ["statusCode"] = healthy ? 200 : 503,
            ["headers"] = new JsonObject { ["Content-Type"] = "application/json" },
            ["body"] = JsonSerializer.Serialize(report, FunctionsJsonContext.Default.HealthReport),
        };
        return new InvocationResult().SetOutput("res", response).Log($"health: {report.Status}");
    }

    private static async Task<ComponentHealth> ProbeAsync(string name, Func<CancellationToken, Task<(bool Healthy, string Detail)>> probe, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            var (healthy, detail) = await probe(timeout.Token).ConfigureAwait(false);
            return new ComponentHealth(name, healthy, detail);
        }
        catch (RequestFailedException ex)
        {
            return new ComponentHealth(name, false, $"{ex.Status} {ex.ErrorCode}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ComponentHealth(name, false, $"no answer within {ProbeTimeout.TotalSeconds:0} s");
        }
        catch (AggregateException ex)
        {
            return new ComponentHealth(name, false, ex.InnerException?.Message ?? ex.Message);
        }
    }
}
