// The DmarcCloud Functions app on the .NET isolated worker. The Functions host (in Azure) or the local host
// (functions/DmarcCloud.LocalHost) starts this process and talks gRPC to it; Program only registers services
// (docs/architecture.md).
using DmarcCloud.Functions;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.Services.AddDmarcCloudFunctions(builder.Configuration);
builder.Logging.AddDmarcCloudFilters();
builder.Build().Run();
