using System.Net;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace DmarcCloud.LocalHost.Tests.FixtureApp;

/// <summary>HTTP: echoes the route value, a query value, a header and the body; <c>boom</c> throws.</summary>
public static class Echo
{
    [Function(nameof(Echo))]
    public static async Task<HttpResponseData> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "echo/{word}")] HttpRequestData request, string word)
    {
        if (word == "boom")
        {
            throw new InvalidOperationException("boom requested");
        }

        var body = await request.ReadAsStringAsync().ConfigureAwait(false) ?? "";
        var response = request.CreateResponse(word == "teapot" ? (HttpStatusCode)418 : HttpStatusCode.OK);
        response.Headers.Add("X-Word", word);
        request.Headers.TryGetValues("X-Test", out var header);
        await response.WriteStringAsync($"{request.Method} {word} q={request.Query["q"]} h={header?.FirstOrDefault()} body={body}").ConfigureAwait(false);
        return response;
    }
}
