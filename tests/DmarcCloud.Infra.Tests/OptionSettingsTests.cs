using System.Reflection;
using DmarcCloud.Azure.Reporting;
using DmarcCloud.Azure.Storage;
using DmarcCloud.Functions.Evaluation;
using DmarcCloud.Functions.ReportMail;
using DmarcCloud.Infra.Tests.Arm;

namespace DmarcCloud.Infra.Tests;

/// <summary>
/// Every <c>Section__Key</c> app setting the template writes binds to a property of the options class the
/// handler binds that section to (configuration binding matches names case-insensitively). A renamed
/// property or setting on one side only fails here instead of at start-up in Azure.
/// </summary>
public sealed class OptionSettingsTests
{
    /// <summary>Sections bound by the handler to an options class.</summary>
    private static readonly Dictionary<string, Type> BoundSections = new(StringComparer.OrdinalIgnoreCase)
    {
        [ReporterOptions.SectionName] = typeof(ReporterOptions),
        ["Inbound"] = typeof(InboundOptions),
        ["VerdictStore"] = typeof(VerdictStoreOptions),
        [IngestOptions.SectionName] = typeof(IngestOptions),
    };

    /// <summary>Sections read by the Functions host or the Azure SDK (identity-based connections), not by an options class.</summary>
    private static readonly HashSet<string> HostSections = new(StringComparer.OrdinalIgnoreCase)
    {
        "AzureWebJobsStorage", "ServiceBusConnection",
    };

    private static readonly Lazy<Task<TemplateInventory>> Inventory = new(async () => TemplateInventory.From(await BicepCli.CompiledMainAsync()));

    [Fact]
    public async Task Every_section_setting_binds_to_an_options_property()
    {
        var inventory = await Inventory.Value;
        var problems = new List<string>();
        foreach (var key in inventory.AppSettings.Keys.Where(k => k.Contains("__", StringComparison.Ordinal)))
        {
            var parts = key.Split("__");
            if (HostSections.Contains(parts[0]))
            {
                continue;
            }

            if (!BoundSections.TryGetValue(parts[0], out var type))
            {
                problems.Add($"{key}: section '{parts[0]}' is bound by no options class");
                continue;
            }

            var property = type.GetProperty(parts[1], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null || property.SetMethod is null)
            {
                problems.Add($"{key}: {type.Name} has no settable property '{parts[1]}'");
            }
        }

        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("Reporting")]
    [InlineData("Inbound")]
    [InlineData("VerdictStore")]
    [InlineData("Ingest")]
    public async Task Each_bound_section_is_configured_by_the_template(string section)
    {
        var inventory = await Inventory.Value;
        Assert.Contains(inventory.AppSettings.Keys, k => k.StartsWith(section + "__", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_report_mail_acceptance_parameter_allows_exactly_the_apps_choices_and_defaults_to_dmarc_pass_or_trusted_arc()
    {
        var parameter = (await BicepCli.CompiledMainAsync())["parameters"]!["ingestAcceptance"]!;
        Assert.Equal(Enum.GetNames<ReportMailAcceptance>(), parameter["allowedValues"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal(nameof(ReportMailAcceptance.DmarcPassOrTrustedArc), parameter["defaultValue"]!.GetValue<string>());
        Assert.Equal(ReportMailAcceptance.DmarcPassOrTrustedArc, new IngestOptions().Acceptance);
    }

    [Theory]
    [InlineData("OrgName")]
    [InlineData("Email")]
    [InlineData("SmtpHost")]
    [InlineData("FromAddress")]
    [InlineData("SmtpPassword")]
    public async Task Reporter_settings_the_validator_needs_are_present(string property)
    {
        var inventory = await Inventory.Value;
        Assert.True(inventory.AppSettings.ContainsKey("Reporting__" + property), $"Reporting__{property} missing");
    }
}
