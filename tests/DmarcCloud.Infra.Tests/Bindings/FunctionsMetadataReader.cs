using System.Reflection;
using System.Text.Json.Nodes;

namespace DmarcCloud.Infra.Tests.Bindings;

/// <summary>
/// Reads the <c>functions.metadata</c> the Worker SDK writes next to <c>DmarcCloud.Functions.dll</c> at build time:
/// every function with its bindings, exactly as the Functions host indexes them.
/// </summary>
internal static class FunctionsMetadataReader
{
    /// <summary>The file built with the same configuration as this test assembly (the test project references the app).</summary>
    public static string BuiltFile
    {
        get
        {
            var configuration = typeof(FunctionsMetadataReader).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
            var path = Path.Combine(RepositoryLayout.FunctionsProjectDirectory, "bin", configuration, "net10.0", "functions.metadata");
            return File.Exists(path)
                ? path
                : throw new FileNotFoundException($"{path} not found: build functions/DmarcCloud.Functions -c {configuration} (the test project's build does it)", path);
        }
    }

    public static JsonArray Load(string file) =>
        JsonNode.Parse(File.ReadAllText(file)) as JsonArray ?? throw new InvalidDataException($"{file} is not a JSON array of functions");

    public static IReadOnlyList<FunctionBinding> Read(string file) => Parse(Load(file));

    public static IReadOnlyList<FunctionBinding> Parse(JsonArray functions) =>
        functions.SelectMany(f =>
        {
            var function = f!["name"]!.GetValue<string>();
            return f["bindings"] is JsonArray bindings
                ? bindings.Select(b => new FunctionBinding(function, "functions.metadata", b!.AsObject()))
                : throw new InvalidDataException($"function {function} has no bindings array");
        }).ToList();
}
