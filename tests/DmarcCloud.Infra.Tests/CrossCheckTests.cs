using System.Text.Json.Nodes;
using DmarcCloud.Infra.Tests.Arm;
using DmarcCloud.Infra.Tests.Bindings;

namespace DmarcCloud.Infra.Tests;

/// <summary>
/// Every queue, container, table and %Setting% a function.json or docs/architecture.md names exists in the
/// template, and the other way round; a name changed on one side only is caught.
/// </summary>
public sealed class CrossCheckTests
{
    private static readonly string Fixtures = Path.Combine(RepositoryLayout.TestData, "functions");

    private static readonly Lazy<Task<TemplateInventory>> Template = new(async () => TemplateInventory.From(await BicepCli.CompiledMainAsync()));

    private static ArchitectureNames Architecture => ArchitectureNames.Parse(File.ReadAllText(RepositoryLayout.ArchitectureDoc));

    /// <summary>function, binding, property, new value (null removes it), expected problem.</summary>
    public static TheoryData<string, string, string, string?, string> FunctionSideChanges() => new()
    {
        { "EvaluateMessage", "message", "queueName", "inbound-mails", "Service Bus queue 'inbound-mails' is not in the template" },
        { "EvaluateMessage", "message", "queueName", "%InboundQueue%", "queueName '%InboundQueue%' is not an app setting" },
        { "EvaluateMessage", "verdicts", "queueName", "inbound-mail", "no Azure Service Bus Data Sender role on queue 'inbound-mail'" },
        { "EvaluateMessage", "verdictDomains", "tableName", "VerdictDomain", "table 'VerdictDomain' is not in the template" },
        { "EvaluateMessage", "verdictRows", "tableName", "%VerdictTableName%", "tableName '%VerdictTableName%' is not an app setting" },
        { "BuildAggregateReport", "report", "path", "report/{rand-guid}.xml.gz", "blob container 'report' is not in the template" },
        { "BuildAggregateReport", "job", "topicName", "aggregate-jobs", "Service Bus topic 'aggregate-jobs' is not in the template" },
        { "SendReport", "delivery", "connection", "ServiceBus", "connection 'ServiceBus' has no ServiceBus__fullyQualifiedNamespace app setting" },
        { "SendReport", "delivery", "type", "queueTrigger", "storage queue 'outbound-reports' is not in the template" },
        { "SendReport", "report", "connection", "ReportStorage", "connection 'ReportStorage' is not AzureWebJobsStorage" },
        { "ScheduleAggregateReports", "timer", "schedule", "0 0 * * *", "schedule '0 0 * * *' is not a six-field NCRONTAB expression" },
        { "ScheduleAggregateReports", "timer", "schedule", "%ReportSchedule%", "schedule '%ReportSchedule%' is not an app setting" },
    };

    [Fact]
    public async Task The_fixture_functions_agree_with_the_template_and_the_architecture()
    {
        var bindings = FunctionJsonReader.Read(Fixtures);

        var problems = BindingCrossCheck.Check(bindings, await Template.Value, Architecture, completeFunctionSet: true);

        Assert.Equal(4, bindings.Select(b => b.Function).Distinct().Count());
        Assert.Empty(problems);
    }

    [Fact]
    public async Task The_function_json_files_in_the_tree_agree_with_the_template()
    {
        // Whatever function.json files exist under functions/DmarcCloud.Functions (none until the
        // handlers land): each name they use must exist in the template.
        var bindings = FunctionJsonReader.Read(RepositoryLayout.FunctionsProjectDirectory);

        var problems = BindingCrossCheck.Check(bindings, await Template.Value, Architecture, completeFunctionSet: false);

        Assert.Empty(problems);
    }

    [Fact]
    public async Task The_architecture_names_table_and_the_template_agree()
    {
        var architecture = Architecture;
        var template = await Template.Value;

        Assert.Empty(BindingCrossCheck.Check([], template, architecture, completeFunctionSet: false));
        Assert.Equal(5, architecture.Queues.Count);
        Assert.Equal(4, architecture.Tables.Count);
        Assert.Equal(2, architecture.Containers.Count);
    }

    [Fact]
    public async Task The_handler_option_settings_name_deployed_resources()
    {
        // InboundOptions and VerdictStoreOptions (functions/DmarcCloud.Functions) read these sections.
        var template = await Template.Value;
        var inboundQueue = template.OfType("Microsoft.ServiceBus/namespaces/queues").Single(q => q.LeafName == "inbound-mail");

        Assert.Contains(template.AppSettings["Inbound__Container"]!, template.Containers);
        Assert.Contains(template.AppSettings["VerdictStore__TableName"]!, template.Tables);
        Assert.Contains(template.AppSettings["VerdictStore__DomainIndexTableName"]!, template.Tables);
        Assert.Equal(
            inboundQueue.Evaluate("properties")!["maxDeliveryCount"]!.GetValue<int>().ToString(System.Globalization.CultureInfo.InvariantCulture),
            template.AppSettings["Inbound__MaxDeliveryCount"]);
    }

    [Theory]
    [MemberData(nameof(FunctionSideChanges))]
    public async Task A_name_changed_in_a_function_json_only_is_caught(string function, string binding, string property, string? value, string expected)
    {
        using var copy = TemporaryCopy.Of(Fixtures);
        var file = Path.Combine(copy.Path, function, "function.json");
        var json = JsonNode.Parse(await File.ReadAllTextAsync(file))!;
        var target = json["bindings"]!.AsArray().Single(b => b!["name"]!.GetValue<string>() == binding)!.AsObject();
        target[property] = value;
        await File.WriteAllTextAsync(file, json.ToJsonString());

        var problems = BindingCrossCheck.Check(FunctionJsonReader.Read(copy.Path), await Template.Value, Architecture, completeFunctionSet: true);

        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_function_removed_leaves_its_queue_role_unused_and_that_is_caught()
    {
        using var copy = TemporaryCopy.Of(Fixtures);
        Directory.Delete(Path.Combine(copy.Path, "SendReport"), recursive: true);

        var problems = BindingCrossCheck.Check(FunctionJsonReader.Read(copy.Path), await Template.Value, Architecture, completeFunctionSet: true);

        Assert.Equal(["the app identity may receive from Service Bus queue 'outbound-reports' but no function triggers on it"], problems);
    }

    [Fact]
    public async Task A_name_changed_in_the_bicep_only_is_caught()
    {
        using var copy = TemporaryCopy.Of(RepositoryLayout.InfraDirectory);
        var main = Path.Combine(copy.Path, "main.bicep");
        var text = await File.ReadAllTextAsync(main);
        foreach (var (from, to) in new[] { ("name: 'aggregate-jobs'", "name: 'aggregate-job'"), ("name: 'ReportLedger'", "name: 'ReportsLedger'"), ("name: 'reports'", "name: 'report-archive'") })
        {
            Assert.Contains(from, text, StringComparison.Ordinal);
            text = text.Replace(from, to, StringComparison.Ordinal);
        }

        await File.WriteAllTextAsync(main, text);
        var changed = TemplateInventory.From(await BicepCli.BuildAsync(main));

        var problems = BindingCrossCheck.Check(FunctionJsonReader.Read(Fixtures), changed, Architecture, completeFunctionSet: true);

        Assert.Contains("BuildAggregateReport/function.json binding 'job' (serviceBusTrigger): Service Bus queue 'aggregate-jobs' is not in the template", problems);
        Assert.Contains("SendReport/function.json binding 'sent' (table): table 'ReportLedger' is not in the template", problems);
        Assert.Contains("SendReport/function.json binding 'report' (blob): blob container 'reports' is not in the template", problems);
        Assert.Contains("docs/architecture.md Service Bus queue 'aggregate-jobs' is not in the template", problems);
        Assert.Contains("template Service Bus queue 'aggregate-job' is not in docs/architecture.md", problems);
        Assert.Contains("template table 'ReportsLedger' is not in docs/architecture.md", problems);
        Assert.Contains("template blob container 'report-archive' is not in docs/architecture.md", problems);
    }

    [Fact]
    public async Task A_name_changed_in_the_architecture_table_only_is_caught()
    {
        var text = (await File.ReadAllTextAsync(RepositoryLayout.ArchitectureDoc))
            .Replace("| Service Bus queue | `inbound-mail` |", "| Service Bus queue | `inbound-email` |", StringComparison.Ordinal)
            .Replace("| Table | `ProcessingErrors` |", "| Table | `Errors` |", StringComparison.Ordinal);

        var problems = BindingCrossCheck.Check([], await Template.Value, ArchitectureNames.Parse(text), completeFunctionSet: false);

        Assert.Equal(
            [
                "docs/architecture.md Service Bus queue 'inbound-email' is not in the template",
                "template Service Bus queue 'inbound-mail' is not in docs/architecture.md",
                "docs/architecture.md table 'Errors' is not in the template",
                "template table 'ProcessingErrors' is not in docs/architecture.md",
            ],
            problems);
    }
}
