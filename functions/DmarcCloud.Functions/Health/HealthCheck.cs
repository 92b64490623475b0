using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DmarcCloud.Azure;
using DmarcCloud.Core.Evaluation;
using DmarcCloud.Functions.Evaluation;
using Microsoft.Extensions.Options;

namespace DmarcCloud.Functions.Health;

/// <summary>
/// Probes what EvaluateMessage needs: the inbound container, the inbound event queue, the table service, an evaluator
/// and a DNS resolver. Each storage probe has 5 s.
/// </summary>
public sealed class HealthCheck(
    BlobServiceClient blobs,
    QueueServiceClient queues,
    TableServiceClient tables,
    IServiceProvider services,
    IOptions<InboundOptions> inbound,
    DnsResolverDescription dns)
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    public async Task<HealthReport> RunAsync(CancellationToken cancellationToken)
    {
        var container = inbound.Value.Container;
        List<ComponentHealth> components =
        [
            await ProbeAsync("blob", async ct =>
            {
                var exists = await blobs.GetBlobContainerClient(container).ExistsAsync(ct).ConfigureAwait(false);
                return (exists.Value, exists.Value ? $"container '{container}' reachable" : $"container '{container}' missing");
            }, cancellationToken).ConfigureAwait(false),
            await ProbeAsync("queue", async ct =>
            {
                var exists = await queues.GetQueueClient(ResourceNames.InboundEventsQueue).ExistsAsync(ct).ConfigureAwait(false);
                return (exists.Value, exists.Value ? $"queue '{ResourceNames.InboundEventsQueue}' reachable" : $"queue '{ResourceNames.InboundEventsQueue}' missing");
            }, cancellationToken).ConfigureAwait(false),
            await ProbeAsync("table", async ct =>
            {
                await foreach (var page in tables.QueryAsync(maxPerPage: 1, cancellationToken: ct).AsPages().ConfigureAwait(false))
                {
                    break;
                }

                return (true, "table service reachable");
            }, cancellationToken).ConfigureAwait(false),
            services.GetService<IMessageEvaluator>() is { } evaluator
                ? new ComponentHealth("evaluator", true, evaluator.GetType().Name)
                : new ComponentHealth("evaluator", false, "no IMessageEvaluator is registered"),
            new ComponentHealth("dns", dns.Configured, dns.Description),
        ];

        return new HealthReport(components.All(c => c.Healthy) ? "healthy" : "unhealthy", components);
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
