using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Storage.Queues;
using DmarcCloud.Azure.Messaging;

namespace DmarcCloud.LocalHost;

/// <summary>
/// Prints the verdict messages on the local <c>verdicts</c> queue as a table (blob, From domain, SPF, DKIM,
/// ARC, DMARC, disposition). Messages are read with a short visibility timeout and not deleted, so they stay
/// for the next reader. Columns come from the verdict JSON (docs/inbound.md) and its Authentication-Results.
/// </summary>
internal static partial class VerdictTable
{
    private static readonly string[] Columns = ["blob", "from", "spf", "dkim", "arc", "dmarc", "disposition"];

    public static async Task<int> PrintAsync(string connectionString, string queueName, int max, TextWriter output, CancellationToken cancellationToken)
    {
        var queue = new QueueClient(connectionString, queueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        var rows = new List<string[]>();
        if (await queue.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            var held = new List<(string Id, string PopReceipt)>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (rows.Count < max)
            {
                // Received messages stay invisible until all are read, then are made visible again.
                var batch = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false)).Value;
                var fresh = batch.Where(m => seen.Add(m.MessageId)).ToList();
                if (fresh.Count == 0)
                {
                    break;
                }

                foreach (var message in fresh)
                {
                    rows.Add(Row(message.MessageText));
                    held.Add((message.MessageId, message.PopReceipt));
                }
            }

            foreach (var (id, popReceipt) in held)
            {
                await queue.UpdateMessageAsync(id, popReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }

        rows.Sort((a, b) => string.CompareOrdinal(a[0], b[0]));
        var widths = Columns.Select((c, i) => Math.Min(48, Math.Max(c.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length)))).ToArray();
        await output.WriteLineAsync(Line(Columns, widths)).ConfigureAwait(false);
        await output.WriteLineAsync(string.Join("-+-", widths.Select(w => new string('-', w)))).ConfigureAwait(false);
        foreach (var row in rows)
        {
            await output.WriteLineAsync(Line(row, widths)).ConfigureAwait(false);
        }

        await output.WriteLineAsync($"({rows.Count} verdict(s) on queue {queueName})").ConfigureAwait(false);
        return 0;
    }

    internal static string[] Row(string messageText)
    {
        string body;
        try
        {
            body = LocalServiceBusEnvelope.Decode(messageText).BodyText;
        }
        catch (FormatException)
        {
            body = messageText;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var ar = Get(root, "authenticationResults");
            return
            [
                ShortBlobName(Get(root, "blob")),
                Get(root, "headerFrom"),
                Method(ar, "spf"),
                Method(ar, "dkim"),
                Method(ar, "arc"),
                Get(root, "dmarc") is { Length: > 0 } dmarc ? dmarc : Method(ar, "dmarc"),
                Get(root, "disposition"),
            ];
        }
        catch (JsonException)
        {
            return [body.ReplaceLineEndings(" "), "", "", "", "", "", ""];
        }
    }

    /// <summary>The file part of a blob name, without the 32-hex-digit upload prefix <c>dmarccloud submit</c> adds.</summary>
    internal static string ShortBlobName(string blob)
    {
        var name = blob[(blob.LastIndexOf('/') + 1)..];
        return UploadPrefix().Replace(name, "");
    }

    private static string Get(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString()! : value.ValueKind == JsonValueKind.Null ? "" : value.GetRawText()
            : "";

    private static string Method(string authenticationResults, string method)
    {
        var results = MethodResult().Matches(authenticationResults)
            .Where(m => string.Equals(m.Groups[1].Value, method, StringComparison.OrdinalIgnoreCase))
            .Select(m => m.Groups[2].Value.ToLowerInvariant())
            .ToList();
        return string.Join(",", results);
    }

    private static string Line(IReadOnlyList<string> cells, int[] widths) =>
        string.Join(" | ", cells.Select((c, i) => (c.Length > widths[i] ? c[..(widths[i] - 1)] + "…" : c).PadRight(widths[i])));

    [GeneratedRegex("^[0-9a-f]{32}-", RegexOptions.CultureInvariant)]
    private static partial Regex UploadPrefix();

    [GeneratedRegex(@"(?:^|[;\s])(spf|dkim|arc|dmarc)=([A-Za-z]+)", RegexOptions.CultureInvariant)]
    private static partial Regex MethodResult();
}
