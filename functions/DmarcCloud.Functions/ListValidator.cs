using DmarcCloud.Azure.Messaging;
using DmarcCloud.Azure.Storage;
using DmarcCloud.Functions.Evaluation;
using DmarcCloud.Functions.ReportMail;
using Microsoft.Extensions.Options;

namespace DmarcCloud.Functions;

/// <summary>Runs an options class's own checks at start-up (with <c>ValidateOnStart</c>): a bad setting stops the app with every reason.</summary>
internal sealed class ListValidator<T> : IValidateOptions<T>
    where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        IReadOnlyList<string> errors = options switch
        {
            InboundOptions inbound => inbound.Validate(),
            IngestOptions ingest => ingest.Validate(),
            ServiceBusDrainOptions drain => drain.Validate(),
            VerdictStoreOptions store => ValidateVerdictStore(store),
            _ => [],
        };
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static List<string> ValidateVerdictStore(VerdictStoreOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.TableName) || string.IsNullOrWhiteSpace(options.DomainIndexTableName))
        {
            errors.Add("VerdictStore:TableName and VerdictStore:DomainIndexTableName must not be empty");
        }

        if (options.ShardCount is < 1 or > 100)
        {
            errors.Add($"VerdictStore:ShardCount must be 1–100, not {options.ShardCount}");
        }

        errors.AddRange(options.HotDomains.Where(d => d.Value is < 1 or > 100).Select(d => $"VerdictStore:HotDomains:{d.Key} must be 1–100, not {d.Value}"));
        return errors;
    }
}
