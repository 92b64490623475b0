using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace DmarcCloud.LocalHost.Tests.TestHandler;

/// <summary>
/// A real, minimal custom handler for the runner tests: an ASP.NET server on FUNCTIONS_CUSTOMHANDLER_PORT that
/// speaks the host protocol. Echo (serviceBusTrigger, binary) answers by body text: "fail" → 500, "empty" →
/// empty 2xx, "crash" → the process exits, anything else → two serviceBus items (the text + "!" and the raw
/// request it received) and one table row. Tick (timer) and Events (serviceBusTrigger) send the raw request on;
/// Health (httpTrigger) answers 200.
/// </summary>
public static class TestHandlerProgram
{
    public static int Main(string[] args)
    {
        if (args.Length == 0 || args[0] != "handler")
        {
            Console.Error.WriteLine("usage: dotnet DmarcCloud.LocalHost.Tests.dll handler (run by the local runner tests)");
            return 2;
        }

        var port = Environment.GetEnvironmentVariable("FUNCTIONS_CUSTOMHANDLER_PORT") ?? throw new InvalidOperationException("FUNCTIONS_CUSTOMHANDLER_PORT is not set.");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapGet("/", () => Results.Text("ready"));
        app.MapPost("/Echo", EchoAsync);
        app.MapPost("/Tick", async (HttpRequest request) => Answer(new JsonObject { ["ticks"] = new JsonArray(await ReadRawAsync(request)) }, "tick"));
        app.MapPost("/Events", async (HttpRequest request) => Answer(new JsonObject { ["seen"] = new JsonArray(await ReadRawAsync(request)) }, "event"));
        app.MapPost("/Health", () => Answer(new JsonObject
        {
            ["res"] = new JsonObject { ["statusCode"] = "200", ["body"] = "healthy", ["headers"] = new JsonObject { ["X-Handler"] = "test" } },
        }, "health"));
        app.Run();
        return 0;
    }

    private static async Task<IResult> EchoAsync(HttpRequest request)
    {
        var raw = await ReadRawAsync(request);
        var payload = JsonNode.Parse(raw)!;
        var text = Encoding.UTF8.GetString(Convert.FromBase64String(payload["Data"]!["msg"]!.GetValue<string>()));
        var messageId = JsonSerializer.Deserialize<string>(payload["Metadata"]!["MessageId"]!.GetValue<string>())!;
        var delivery = payload["Metadata"]!["DeliveryCount"]!.GetValue<string>();
        switch (text)
        {
            case "fail":
                return Results.Text($"boom on delivery {delivery}", statusCode: 500);
            case "empty":
                return Results.Ok();
            case "crash":
                Environment.Exit(3);
                return Results.StatusCode(500);
            case "fail-twice" when int.Parse(delivery, System.Globalization.CultureInfo.InvariantCulture) <= 2:
                return Results.Text("transient", statusCode: 503);
        }

        return Answer(
            new JsonObject
            {
                ["out"] = new JsonArray(text + "!", raw),
                ["rows"] = new JsonArray(new JsonObject { ["PartitionKey"] = "echo", ["RowKey"] = messageId, ["Text"] = text, ["Delivery"] = int.Parse(delivery, System.Globalization.CultureInfo.InvariantCulture) }),
            },
            "echo " + text);
    }

    private static IResult Answer(JsonObject outputs, string log) => Results.Text(
        new JsonObject { ["Outputs"] = outputs, ["Logs"] = new JsonArray(log), ["ReturnValue"] = null }.ToJsonString(),
        "application/json");

    private static async Task<string> ReadRawAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }
}
