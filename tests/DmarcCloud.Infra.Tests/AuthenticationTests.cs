using System.Text.Json.Nodes;
using DmarcCloud.Infra.Tests.Arm;

namespace DmarcCloud.Infra.Tests;

/// <summary>
/// In the deployed configuration no HTTP endpoint but the health probe admits an unauthenticated request: App
/// Service Authentication (authsettingsV2) requires authentication on the function app, refusing with 401 (no app
/// registration) or sending to the Entra ID login (with one).
/// </summary>
public sealed class AuthenticationTests
{
    private static readonly Lazy<Task<TemplateInventory>> Template = new(async () => TemplateInventory.From(await BicepCli.CompiledMainAsync()));

    [Fact]
    public async Task Unauthenticated_requests_are_refused_except_the_health_probe()
    {
        var inventory = await Template.Value;
        var site = Assert.Single(inventory.OfType("Microsoft.Web/sites"));
        var auth = Assert.Single(inventory.OfType("Microsoft.Web/sites/config"), c => c.Json.ToJsonString().Contains("authsettingsV2", StringComparison.Ordinal));

        var properties = auth.Json["properties"]!;
        Assert.True(properties["platform"]!["enabled"]!.GetValue<bool>());
        Assert.True(properties["globalValidation"]!["requireAuthentication"]!.GetValue<bool>());
        var action = properties["globalValidation"]!["unauthenticatedClientAction"]!.GetValue<string>();
        Assert.Contains("Return401", action, StringComparison.Ordinal);
        Assert.DoesNotContain("AllowAnonymous", auth.Json.ToJsonString(), StringComparison.Ordinal);
        var excluded = properties["globalValidation"]!["excludedPaths"]!.AsArray().Select(p => p!.GetValue<string>()).ToList();
        Assert.Equal(["/api/health"], excluded);
        Assert.True(properties["httpSettings"]!["requireHttps"]!.GetValue<bool>());
        Assert.NotNull(site);
    }

    [Fact]
    public async Task The_protected_app_is_the_function_app()
    {
        var json = await BicepCli.CompiledMainAsync();
        var text = json.ToJsonString();

        Assert.Contains("\"auth\"", text, StringComparison.Ordinal);
        Assert.Contains("functionAppName", text, StringComparison.Ordinal);

        _ = json as JsonObject;
    }
}
