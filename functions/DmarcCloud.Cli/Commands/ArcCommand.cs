using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DmarcCloud.Core;
using DmarcCloud.Core.AuthResults;
using DmarcCloud.Core.Arc;
using DmarcCloud.Core.Evaluation;

namespace DmarcCloud.Cli.Commands;

/// <summary><c>dmarccloud arc &lt;message.eml&gt;</c>: validates the ARC chain and prints cv= with each hop.</summary>
internal sealed class ArcCommand : ICliCommand
{
    public string Name => "arc";

    public string Description => "validate a message's ARC chain (RFC 8617) and print cv= with each hop";

    public IReadOnlyList<Symbol> Parameters =>
        MessageFile.VerificationParameters();

    public string Usage => "arc " + MessageFile.VerificationUsage;

    public async Task<int> RunAsync(CliArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var (message, dns, clock, json) = await MessageFile.ReadForVerificationAsync(arguments, cancellationToken).ConfigureAwait(false);

        var result = await new ArcValidator(dns, timeProvider: clock).ValidateAsync(message, cancellationToken).ConfigureAwait(false);
        output.WriteLine(json ? ToJson(result) : Describe(result));
        return 0;
    }

    /// <summary>
    /// The chain's <c>arc</c> resinfo as the verdict header writes it, plus <c>header.oldest-pass</c> (RFC 8617 §10.2)
    /// and whether a failure was temporary, then one line per hop.
    /// </summary>
    internal static string Describe(ArcValidationResult result)
    {
        var entry = VerdictAuthenticationResults.Arc(result);
        if (result.OldestPass is { } oldest)
        {
            entry = entry with { Properties = new Dictionary<string, string>(entry.Properties) { ["header.oldest-pass"] = oldest.ToString(CultureInfo.InvariantCulture) } };
        }

        if (result.TemporaryFailure)
        {
            entry = entry with { Comment = "temporary: " + entry.Comment };
        }

        var text = new StringBuilder(AuthenticationResultsWriter.ResInfo(entry));
        foreach (var hop in result.Hops)
        {
            text.AppendLine();
            text.Append($"  i={hop.Instance} d={hop.SealDomain} s={hop.SealSelector} seal={(hop.SealValid ? "valid" : "not valid")} ams={(hop.MessageSignatureValid ? "valid" : "not valid")}");
            text.AppendLine();
            text.Append($"    aar: {string.Join(' ', hop.AuthenticationResults.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))}");
        }

        return text.ToString();
    }

    private static string ToJson(ArcValidationResult result)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("cv", RfcName.Of(result.Status));
            if (result.OldestPass is { } oldest)
            {
                writer.WriteNumber("oldestPass", oldest);
            }

            if (result.FailedInstance is { } failed)
            {
                writer.WriteNumber("failedInstance", failed);
            }

            writer.WriteBoolean("temporaryFailure", result.TemporaryFailure);
            if (result.Reason is { } reason)
            {
                writer.WriteString("reason", reason);
            }

            writer.WriteStartArray("hops");
            foreach (var hop in result.Hops)
            {
                writer.WriteStartObject();
                writer.WriteNumber("instance", hop.Instance);
                writer.WriteString("sealDomain", hop.SealDomain);
                writer.WriteString("sealSelector", hop.SealSelector);
                writer.WriteBoolean("sealValid", hop.SealValid);
                writer.WriteBoolean("messageSignatureValid", hop.MessageSignatureValid);
                writer.WriteString("authenticationResults", hop.AuthenticationResults);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
