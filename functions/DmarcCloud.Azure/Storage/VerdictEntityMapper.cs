using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using DmarcCloud.Core;
using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Evaluation;
using DmarcCloud.Core.Reporting;
using DmarcCloud.Core.Spf;

namespace DmarcCloud.Azure.Storage;

/// <summary>Maps verdicts to flat table entities and back (column list in docs/storage.md).</summary>
internal static class VerdictEntityMapper
{
    /// <summary>Text columns are capped below the 64 KiB (32 K UTF-16 characters) property limit.</summary>
    internal const int MaxTextColumnChars = 30_000;

    public static TableEntity ToEntity(string partitionKey, string rowKey, string messageKey, Verdict verdict, ReportableVerdict? reportable)
    {
        var envelope = verdict.Envelope;
        var entity = new TableEntity(partitionKey, rowKey)
        {
            ["MessageKey"] = messageKey,
            ["Reportable"] = reportable is not null,
            ["ReceivedAt"] = envelope.ReceivedAt.ToUniversalTime(),
            ["EvaluatedAt"] = verdict.EvaluatedAt.ToUniversalTime(),
            ["SourceIp"] = envelope.ClientIp.ToString(),
            ["Helo"] = envelope.Helo,
            ["MailFrom"] = envelope.MailFrom,
            ["RcptTo"] = Cap(JsonSerializer.Serialize(envelope.RcptTo.ToList(), StorageJsonContext.Default.ListString)),
            ["Authenticated"] = envelope.Authenticated,
            ["HeaderFrom"] = verdict.HeaderFrom,
            ["HeaderFromProblem"] = verdict.HeaderFromProblem,
            ["Result"] = verdict.Result.ToString(),
            ["Disposition"] = verdict.Disposition.ToString(),
            ["RequestedPolicy"] = verdict.RequestedPolicy?.ToString(),
            ["DkimAligned"] = verdict.DkimAligned,
            ["SpfAligned"] = verdict.SpfAligned,
            ["ArcStatus"] = verdict.Arc.Status.ToString(),
            ["OrganizationalDomain"] = verdict.OrganizationalDomain,
            ["Overrides"] = JsonSerializer.Serialize(verdict.Overrides.ToList(), StorageJsonContext.Default.ListPolicyOverrideReason),
            ["Dkim"] = SerializeDkim(verdict.Dkim, out var truncated),
            ["DkimTruncated"] = truncated,
            ["Spf"] = verdict.Spf is null ? null : JsonSerializer.Serialize(verdict.Spf, StorageJsonContext.Default.SpfCheckResult),
            ["Warnings"] = Cap(JsonSerializer.Serialize(verdict.Warnings.ToList(), StorageJsonContext.Default.ListString)),
            ["AuthenticationResults"] = Cap(verdict.AuthenticationResults),
        };

        if (reportable is not null)
        {
            entity["EnvelopeFrom"] = reportable.EnvelopeFrom;
            entity["EnvelopeTo"] = reportable.EnvelopeTo;
            var policy = reportable.Policy;
            entity["PolicyDomain"] = policy.Domain;
            entity["PolicyRecord"] = Cap(policy.Record);
            entity["PolicyP"] = policy.P.ToString();
            entity["PolicySp"] = policy.Sp?.ToString();
            entity["PolicyNp"] = policy.Np?.ToString();
            entity["PolicyAdkim"] = policy.Adkim.ToString();
            entity["PolicyAspf"] = policy.Aspf.ToString();
            entity["PolicyTesting"] = policy.Testing;
            entity["PolicyPsd"] = RfcName.Of(policy.Psd);
            entity["PolicyPct"] = policy.Pct;
            entity["PolicyFo"] = policy.Fo;
            entity["PolicyRua"] = Cap(JsonSerializer.Serialize(policy.Rua.ToList(), StorageJsonContext.Default.ListString));
            entity["PolicyRuf"] = Cap(JsonSerializer.Serialize(policy.Ruf.ToList(), StorageJsonContext.Default.ListString));
            entity["PolicyDiscovery"] = policy.DiscoveryMethod.ToString();
        }

        return entity;
    }

    public static ReportableVerdict ToReportable(TableEntity entity)
    {
        var policy = new PublishedPolicy(
            entity.GetString("PolicyDomain"),
            entity.GetString("PolicyRecord") ?? string.Empty,
            Enum.Parse<DmarcPolicy>(entity.GetString("PolicyP")),
            ParseOptional<DmarcPolicy>(entity.GetString("PolicySp")),
            ParseOptional<DmarcPolicy>(entity.GetString("PolicyNp")),
            Enum.Parse<AlignmentMode>(entity.GetString("PolicyAdkim")),
            Enum.Parse<AlignmentMode>(entity.GetString("PolicyAspf")),
            entity.GetBoolean("PolicyTesting") ?? false,
            RfcName.TryParse<PsdFlag>(entity.GetString("PolicyPsd"), out var psd) ? psd : PsdFlag.Unspecified,
            entity.GetInt32("PolicyPct"),
            entity.GetString("PolicyFo"),
            DeserializeList(entity.GetString("PolicyRua"), StorageJsonContext.Default.ListString),
            DeserializeList(entity.GetString("PolicyRuf"), StorageJsonContext.Default.ListString),
            Enum.Parse<DiscoveryMethod>(entity.GetString("PolicyDiscovery")));

        var spfJson = entity.GetString("Spf");
        return new ReportableVerdict(
            entity.GetString("MessageKey"),
            entity.GetDateTimeOffset("ReceivedAt") ?? throw new FormatException($"Verdict {entity.RowKey} has no ReceivedAt."),
            entity.GetString("SourceIp"),
            entity.GetString("HeaderFrom"),
            entity.GetString("EnvelopeFrom"),
            entity.GetString("EnvelopeTo"),
            Enum.Parse<DmarcResult>(entity.GetString("Result")),
            Enum.Parse<Disposition>(entity.GetString("Disposition")),
            entity.GetBoolean("DkimAligned") ?? false,
            entity.GetBoolean("SpfAligned") ?? false,
            DeserializeList(entity.GetString("Overrides"), StorageJsonContext.Default.ListPolicyOverrideReason),
            DeserializeList(entity.GetString("Dkim"), StorageJsonContext.Default.ListDkimSignatureResult),
            string.IsNullOrEmpty(spfJson) ? null : JsonSerializer.Deserialize(spfJson, StorageJsonContext.Default.SpfCheckResult),
            policy);
    }

    /// <summary>The DKIM column; signatures beyond what fits in one property are left out (and flagged).</summary>
    private static string SerializeDkim(IReadOnlyList<DkimSignatureResult> results, out bool truncated)
    {
        var list = results.ToList();
        truncated = false;
        while (true)
        {
            var json = JsonSerializer.Serialize(list, StorageJsonContext.Default.ListDkimSignatureResult);
            if (json.Length <= MaxTextColumnChars || list.Count == 0)
            {
                return json;
            }

            truncated = true;
            list.RemoveRange(list.Count / 2, list.Count - (list.Count / 2));
        }
    }

    private static string? Cap(string? text) =>
        text is null || text.Length <= MaxTextColumnChars ? text : text[..MaxTextColumnChars];

    private static T? ParseOptional<T>(string? text)
        where T : struct, Enum =>
        string.IsNullOrEmpty(text) ? null : Enum.Parse<T>(text);

    private static List<T> DeserializeList<T>(string? json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<List<T>> typeInfo) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize(json, typeInfo) ?? [];

    /// <summary>Formats a UTC day as the partition-key prefix.</summary>
    public static string DayKey(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}
