using System.Text.Json.Nodes;
using DmarcCloud.Infra.Tests.Arm;
using DmarcCloud.Infra.Tests.Bindings;

namespace DmarcCloud.Infra.Tests;

/// <summary>
/// The SDK-generated functions.metadata, the names in code (ResourceNames) and docs/architecture.md agree with the
/// template in both directions: a queue, container, table or setting renamed on one side only is caught.
/// </summary>
public sealed class CrossCheckTests
{
    private static readonly Lazy<Task<TemplateInventory>> Template = new(async () => TemplateInventory.From(await BicepCli.CompiledMainAsync()));

    private static ArchitectureNames Architecture => ArchitectureNames.Parse(File.ReadAllText(RepositoryLayout.ArchitectureDoc));

    /// <summary>function, binding, property, new value (null removes it), expected problem.</summary>
    public static TheoryData<string, string, string, string?, string> MetadataSideChanges() => new()
    {
        { "EvaluateMessage", "message", "queueName", "inbound-event", "storage queue 'inbound-event' is not in the template" },
        { "EvaluateMessage", "message", "queueName", "%InboundQueue%", "queueName '%InboundQueue%' is not an app setting" },
        { "EvaluateMessage", "message", "queueName", "inbound-events-poison", "poison queue 'inbound-events-poison-poison' is not in the template" },
        { "EvaluateMessage", "message", "connection", "InboundStorage", "connection 'InboundStorage' is not AzureWebJobsStorage" },
        { "EvaluateMessage", "message", "type", "blobTrigger", "binding type 'blobTrigger' is not one the app's extensions provide" },
        { "SendReport", "timer", "schedule", "%OutboundReportDrainSchedule%", "schedule '%OutboundReportDrainSchedule%' is not an app setting" },
        { "BuildAggregateReport", "timer", "schedule", "%VerdictsDrainSchedule%", "schedule '%VerdictsDrainSchedule%' is not an app setting" },
        { "ScheduleAggregateReports", "timer", "schedule", "0 0 * * *", "schedule '0 0 * * *' is not a six-field NCRONTAB expression" },
        { "ScheduleAggregateReports", "timer", "schedule", "%ReportSchedule%", "schedule '%ReportSchedule%' is not an app setting" },
        { "Health", "request", "authLevel", "Admin", "authLevel 'Admin' needs keys the template does not hand out" },
    };

    [Fact]
    public async Task The_built_functions_metadata_agrees_with_the_code_the_template_and_the_architecture()
    {
        var bindings = FunctionsMetadataReader.Read(FunctionsMetadataReader.BuiltFile);

        var problems = BindingCrossCheck.Check(bindings, CodeNames.App, await Template.Value, Architecture, completeFunctionSet: true);

        Assert.Equal(["BuildAggregateReport", "Dashboard", "DomainAdvice", "DomainCheck", "DomainSimulation", "EvaluateMessage", "Health", "ReceivedDomains", "ReceivedFailures", "ReceivedReport", "ReceivedReportList", "ReceivedReportRaw", "ReceivedReporters", "ReceivedSources", "ReceivedSummary", "ScheduleAggregateReports", "SendFailureReports", "SendReport", "UploadReport"], bindings.Select(b => b.Function).Distinct().Order(StringComparer.Ordinal));
        Assert.Empty(problems);
    }

    [Fact]
    public async Task The_architecture_names_table_and_the_template_agree()
    {
        var architecture = Architecture;

        Assert.Empty(BindingCrossCheck.Check([], CodeNames.App, await Template.Value, architecture, completeFunctionSet: false));
        Assert.Equal(4, architecture.Queues.Count);
        Assert.Equal(2, architecture.StorageQueues.Count);
        Assert.Equal(4, architecture.Tables.Count);
        Assert.Equal(3, architecture.Containers.Count);
    }

    [Fact]
    public async Task The_option_settings_name_deployed_resources_and_agree_with_host_json()
    {
        // InboundOptions and VerdictStoreOptions (functions/DmarcCloud.Functions) read these sections.
        var template = await Template.Value;
        var host = JsonNode.Parse(await File.ReadAllTextAsync(RepositoryLayout.HostJson))!;

        Assert.Contains(template.AppSettings["Inbound__Container"]!, template.Containers);
        Assert.Contains(template.AppSettings["VerdictStore__TableName"]!, template.Tables);
        Assert.Contains(template.AppSettings["VerdictStore__DomainIndexTableName"]!, template.Tables);
        Assert.Equal(host["extensions"]!["queues"]!["maxDequeueCount"]!.GetValue<int>().ToString(System.Globalization.CultureInfo.InvariantCulture), template.AppSettings["Inbound__MaxDequeueCount"]);
        Assert.Equal("none", host["extensions"]!["queues"]!["messageEncoding"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(MetadataSideChanges))]
    public async Task A_name_changed_in_the_function_metadata_only_is_caught(string function, string binding, string property, string? value, string expected)
    {
        var metadata = FunctionsMetadataReader.Load(FunctionsMetadataReader.BuiltFile);
        var target = metadata.Single(f => f!["name"]!.GetValue<string>() == function)!["bindings"]!.AsArray()
            .Single(b => b!["name"]!.GetValue<string>() == binding)!.AsObject();
        Assert.True(target.ContainsKey(property), $"{function}/{binding} has no '{property}' to change");
        target[property] = value;

        var problems = BindingCrossCheck.Check(FunctionsMetadataReader.Parse(metadata), CodeNames.App, await Template.Value, Architecture, completeFunctionSet: true);

        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("SendReport", "the app identity may receive from Service Bus queue 'outbound-reports' but no function drains it")]
    [InlineData("EvaluateMessage", "the app identity may process storage queue 'inbound-events' but no function triggers on it")]
    public async Task A_function_removed_leaves_its_queue_role_unused_and_that_is_caught(string function, string expected)
    {
        var metadata = FunctionsMetadataReader.Load(FunctionsMetadataReader.BuiltFile);
        metadata.Remove(metadata.Single(f => f!["name"]!.GetValue<string>() == function));

        var problems = BindingCrossCheck.Check(FunctionsMetadataReader.Parse(metadata), CodeNames.App, await Template.Value, Architecture, completeFunctionSet: true);

        Assert.Equal([expected], problems);
    }

    [Fact]
    public async Task A_name_changed_in_code_only_is_caught()
    {
        var code = CodeNames.App with
        {
            SentServiceBusQueues = ["verdicts", "failure-report", "aggregate-jobs", "outbound-reports"],
            Tables = ["Verdicts", "VerdictDomains", "ReportLedger", "ProcessingError"],
        };

        var problems = BindingCrossCheck.Check(FunctionsMetadataReader.Read(FunctionsMetadataReader.BuiltFile), code, await Template.Value, Architecture, completeFunctionSet: true);

        Assert.Equal(
            [
                "code sends to Service Bus queue 'failure-report', which is not in the template",
                "the app identity may send to Service Bus queue 'failure-reports' but no code sends to it",
                "code table 'ProcessingError' is not in the template",
                "template table 'ProcessingErrors' is not in code",
            ],
            problems);
    }

    [Fact]
    public async Task A_name_changed_in_the_bicep_only_is_caught()
    {
        using var copy = TemporaryCopy.OfInfra();
        var main = Path.Combine(copy.Path, "main.bicep");
        var text = await File.ReadAllTextAsync(main);
        foreach (var (from, to) in new[]
        {
            ("name: 'aggregate-jobs'", "name: 'aggregate-job'"),
            ("'ReportLedger'", "'ReportsLedger'"),
            ("'reports'", "'report-archive'"),
            ("var inboundEventsQueueName = 'inbound-events'", "var inboundEventsQueueName = 'inbound-event'"),
            ("drainScheduleSetting: 'OutboundReportsDrainSchedule'", "drainScheduleSetting: 'OutboundReportDrainSchedule'"),
        })
        {
            Assert.Contains(from, text, StringComparison.Ordinal);
            text = text.Replace(from, to, StringComparison.Ordinal);
        }

        await File.WriteAllTextAsync(main, text);
        var changed = TemplateInventory.From(await BicepCli.BuildAsync(main));

        var problems = BindingCrossCheck.Check(FunctionsMetadataReader.Read(FunctionsMetadataReader.BuiltFile), CodeNames.App, changed, Architecture, completeFunctionSet: true);

        Assert.Contains("BuildAggregateReport binding 'timer' (timerTrigger): drains Service Bus queue 'aggregate-jobs', which is not in the template", problems);
        Assert.Contains("EvaluateMessage binding 'message' (queueTrigger): storage queue 'inbound-events' is not in the template", problems);
        Assert.Contains("SendReport binding 'timer' (timerTrigger): schedule '%OutboundReportsDrainSchedule%' is not an app setting with a fixed value in the template", problems);
        Assert.Contains("code sends to Service Bus queue 'aggregate-jobs', which is not in the template", problems);
        Assert.Contains("template table 'ReportsLedger' is not in code", problems);
        Assert.Contains("code blob container 'reports' is not in the template", problems);
        Assert.Contains("docs/architecture.md Service Bus queue 'aggregate-jobs' is not in the template", problems);
        Assert.Contains("template storage queue 'inbound-event' is not in docs/architecture.md", problems);
        Assert.Contains("template blob container 'report-archive' is not in docs/architecture.md", problems);
    }

    [Fact]
    public async Task A_name_changed_in_the_architecture_table_only_is_caught()
    {
        var text = (await File.ReadAllTextAsync(RepositoryLayout.ArchitectureDoc))
            .Replace("| Storage queue | `inbound-events` |", "| Storage queue | `inbound-mail` |", StringComparison.Ordinal)
            .Replace("| Table | `ProcessingErrors` |", "| Table | `Errors` |", StringComparison.Ordinal);

        var problems = BindingCrossCheck.Check([], CodeNames.App, await Template.Value, ArchitectureNames.Parse(text), completeFunctionSet: false);

        Assert.Equal(
            [
                "docs/architecture.md storage queue 'inbound-mail' is not in the template",
                "template storage queue 'inbound-events' is not in docs/architecture.md",
                "docs/architecture.md table 'Errors' is not in the template",
                "template table 'ProcessingErrors' is not in docs/architecture.md",
            ],
            problems);
    }

    [Theory]
    [InlineData("OutboundReports", "outbound-reports")]
    [InlineData("AggregateJobs", "aggregate-jobs")]
    [InlineData("Verdicts", "verdicts")]
    public void Drain_schedule_settings_name_their_queue_in_pascal_case(string pascal, string queue) =>
        Assert.Equal(queue, BindingCrossCheck.KebabCase(pascal));
}
