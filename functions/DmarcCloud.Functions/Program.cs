// The Azure Functions custom handler. The host starts this process with FUNCTIONS_CUSTOMHANDLER_PORT and calls
// POST /{FunctionName} on loopback (docs/architecture.md; shared notes on the custom-handler protocol).
using DmarcCloud.Functions;
using DmarcCloud.Functions.EvaluateMessage;
using DmarcCloud.Functions.BuildAggregateReport;
using DmarcCloud.Functions.Health;
using DmarcCloud.Functions.ScheduleAggregateReports;
using DmarcCloud.Functions.SendReport;
using DmarcCloud.Functions.Invocation;

var builder = WebApplication.CreateSlimBuilder(args);
var port = Environment.GetEnvironmentVariable("FUNCTIONS_CUSTOMHANDLER_PORT") ?? "7071";
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
builder.Services.AddDmarcCloudHandler(builder.Configuration);

var app = builder.Build();

// Readiness: the host polls GET / until it answers.
app.MapGet("/", (RequestDelegate)(context => context.Response.WriteAsync("ready", context.RequestAborted)));
app.MapFunction<EvaluateMessageFunction>();
app.MapFunction<HealthFunction>();
app.MapFunction<ScheduleAggregateReportsFunction>();
app.MapFunction<BuildAggregateReportFunction>();
app.MapFunction<SendReportFunction>();
app.Run();

/// <summary>The handler's entry point (public for WebApplicationFactory in the tests).</summary>
public partial class Program;
