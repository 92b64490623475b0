using System.Net;
using System.Text;

namespace DmarcCloud.LocalHost.Tests.Hosting;

/// <summary>The HTTP front door through the real worker: routes, methods, route/query/header/body, status codes.</summary>
[Collection(FixtureAppCollection.Name)]
public class HttpTriggerTests(FixtureAppHost fixture)
{
    [Fact]
    public async Task A_request_reaches_the_function_with_route_query_header_and_body()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.Host.BaseAddress, "api/echo/hello?q=42"))
        {
            Content = new StringContent("payload ü", Encoding.UTF8),
        };
        request.Headers.Add("X-Test", "yes");

        using var response = await fixture.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("POST hello q=42 h=yes body=payload ü", await response.Content.ReadAsStringAsync());
        Assert.Equal("hello", Assert.Single(response.Headers.GetValues("X-Word")));
    }

    [Theory]
    [InlineData("GET", "api/echo/teapot", 418)]
    [InlineData("GET", "api/echo/boom", 500)]
    [InlineData("PUT", "api/echo/hello", 405)]
    [InlineData("GET", "api/nothing/here", 404)]
    [InlineData("GET", "echo/hello", 404)]
    public async Task Status_codes_come_from_the_function_or_the_route_table(string method, string path, int status)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(fixture.Host.BaseAddress, path));

        using var response = await fixture.Http.SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
    }

    [Fact]
    public async Task Many_requests_in_flight_on_the_one_stream_each_get_their_own_answer()
    {
        var words = Enumerable.Range(0, 40).Select(i => $"w{i}").ToArray();

        var bodies = await Task.WhenAll(words.Select(w => fixture.Http.GetStringAsync(new Uri(fixture.Host.BaseAddress, $"api/echo/{w}"))));

        Assert.Equal(words.Select(w => $"GET {w} q= h= body="), bodies);
    }
}
