// The Azure Functions custom handler. The host starts this process with FUNCTIONS_CUSTOMHANDLER_PORT and
// calls POST /{FunctionName} on loopback; see docs/architecture.md and shared notes on the protocol.
var builder = WebApplication.CreateSlimBuilder(args);
var port = Environment.GetEnvironmentVariable("FUNCTIONS_CUSTOMHANDLER_PORT") ?? "7071";
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
var app = builder.Build();
app.MapGet("/", () => Results.Text("ready"));
app.Run();
