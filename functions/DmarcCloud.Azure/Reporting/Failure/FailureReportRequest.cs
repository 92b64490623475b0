using System.Text;
using System.Text.Json;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Evaluation;
using DmarcCloud.Core.Mime;
using DmarcCloud.Core.Reporting;
using DmarcCloud.Core.Reporting.Failure;

namespace DmarcCloud.Azure.Reporting.Failure;

/// <summary>
/// The message on Service Bus queue <c>failure-reports</c>: one failed message whose policy asks for failure reports.
/// It carries the whole verdict (docs/verdict.md), so the sender needs no second evaluation; the original message is
/// read from <see cref="Blob"/>.
/// </summary>
/// <remarks>JSON: <c>{"requestId":"…","blob":"container/name","fo":["1"],"verdict":{…}}</c>.</remarks>
/// <param name="RequestId">The stable message key: redeliveries and the ledger use it.</param>
/// <param name="Blob">The blob holding the message, <c>container/name</c>.</param>
/// <param name="Fo">The <c>fo</c> options that fired when the message was evaluated (RFC tokens).</param>
/// <param name="Verdict">The verdict.</param>
public sealed record FailureReportRequest(string RequestId, string Blob, IReadOnlyList<string> Fo, Verdict Verdict)
{
    /// <summary>The request for <paramref name="verdict"/>, or null when its policy asks for no failure report.</summary>
    public static FailureReportRequest? For(string messageKey, string blob, Verdict verdict)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageKey);
        ArgumentException.ThrowIfNullOrEmpty(blob);
        ArgumentNullException.ThrowIfNull(verdict);
        var due = FailureReportTriggers.Due(verdict);
        return due == FailureReportOptions.None ? null : new FailureReportRequest(messageKey, blob, FailureReportOptionsSyntax.Tokens(due), verdict);
    }

    /// <summary>
    /// The request for <paramref name="verdict"/> of <paramref name="content"/>, or null when its policy asks for no
    /// failure report or the message is report mail itself (RFC 9991 §5.1: reports must not trigger reports).
    /// </summary>
    public static FailureReportRequest? For(string messageKey, string blob, Verdict verdict, ReadOnlyMemory<byte> content)
    {
        var request = For(messageKey, blob, verdict);
        return request is null || ReportMailDetector.ReasonIsReport(MessageReader.Parse(content)) is not null ? null : request;
    }

    /// <summary>The JSON message body.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("requestId", RequestId);
            writer.WriteString("blob", Blob);
            writer.WriteStartArray("fo");
            foreach (var option in Fo)
            {
                writer.WriteStringValue(option);
            }

            writer.WriteEndArray();
            writer.WritePropertyName("verdict");
            JsonSerializer.Serialize(writer, Verdict, VerdictJsonContext.Default.Verdict);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads a message body; null (and why) when it is not a failure report request.</summary>
    public static FailureReportRequest? TryParse(ReadOnlySpan<byte> json, out string? error)
    {
        error = null;
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "not a JSON object";
                return null;
            }

            if (!root.TryGetProperty("requestId", out var id) || id.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(id.GetString())
                || !root.TryGetProperty("blob", out var blob) || blob.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(blob.GetString())
                || !root.TryGetProperty("verdict", out var verdictElement) || verdictElement.ValueKind != JsonValueKind.Object)
            {
                error = "requestId, blob and verdict are required";
                return null;
            }

            var fo = root.TryGetProperty("fo", out var foElement) && foElement.ValueKind == JsonValueKind.Array
                ? foElement.EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToArray()
                : [];
            var verdict = verdictElement.Deserialize(VerdictJsonContext.Default.Verdict);
            if (verdict is null)
            {
                error = "verdict is null";
                return null;
            }

            return new FailureReportRequest(id.GetString()!, blob.GetString()!, fo, verdict);
        }
        catch (JsonException ex)
        {
            error = "not a failure report request: " + ex.Message;
            return null;
        }
    }
}
