// The fixture worker app: FunctionsApplication.CreateBuilder with worker indexing, like the product app.
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.Build().Run();
