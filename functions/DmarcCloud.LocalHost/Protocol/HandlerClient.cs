using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace DmarcCloud.LocalHost.Protocol;

/// <summary>
/// Calls the custom handler as the host does: <c>POST http://127.0.0.1:{port}/{FunctionName}</c> with the
/// invocation headers, then classifies the answer (2xx + body, 2xx empty = protocol error, non-2xx = failure).
/// </summary>
public sealed class HandlerClient(HttpClient httpClient, Func<CancellationToken, Task<Uri>> baseAddress, TimeSpan functionTimeout)
{
    /// <summary>Invokes <paramref name="functionName"/> with <paramref name="payload"/>.</summary>
    public async Task<InvocationResult> InvokeAsync(string functionName, JsonObject payload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var invocationId = Guid.NewGuid();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(functionTimeout);
        try
        {
            var root = await baseAddress(timeout.Token).ConfigureAwait(false);
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(root, Uri.EscapeDataString(functionName)))
            {
                Content = new StringContent(HostPayloadBuilder.ToWire(payload), Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Azure-Functions-InvocationId", invocationId.ToString());
            request.Headers.Add("X-Azure-Functions-HostVersion", HostPayloadBuilder.HostVersion);
            request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Azure-Functions-Host", HostPayloadBuilder.HostVersion));
            using var response = await httpClient.SendAsync(request, timeout.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var text = Encoding.UTF8.GetString(body);
                return new InvocationResult
                {
                    InvocationId = invocationId,
                    StatusCode = response.StatusCode,
                    Error = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}: {Truncate(text)}",
                };
            }

            var parsed = HandlerResponse.Parse(body);
            return new InvocationResult
            {
                InvocationId = invocationId,
                StatusCode = response.StatusCode,
                Response = parsed.Response,
                Error = parsed.ProtocolError is null ? null : "protocol error: " + parsed.ProtocolError,
                IsProtocolError = parsed.ProtocolError is not null,
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new InvocationResult { InvocationId = invocationId, Error = $"timed out after functionTimeout {functionTimeout}" };
        }
        catch (HttpRequestException e)
        {
            return new InvocationResult { InvocationId = invocationId, Error = $"handler unreachable: {e.Message}" };
        }
    }

    private static string Truncate(string text) => text.Length <= 2000 ? text : text[..2000] + "…";
}
