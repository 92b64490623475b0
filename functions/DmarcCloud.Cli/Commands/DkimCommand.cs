using System.CommandLine;
using System.Text;
using System.Text.Json;
using DmarcCloud.Core;
using DmarcCloud.Core.AuthResults;
using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Evaluation;

namespace DmarcCloud.Cli.Commands;

/// <summary><c>dmarccloud dkim &lt;message.eml&gt;</c>: verifies every DKIM-Signature and prints one result per signature.</summary>
internal sealed class DkimCommand : ICliCommand
{
    public string Name => "dkim";

    public string Description => "verify every DKIM-Signature of a message (RFC 6376)";

    public IReadOnlyList<Symbol> Parameters =>
        MessageFile.VerificationParameters();

    public string Usage => "dkim " + MessageFile.VerificationUsage;

    public async Task<int> RunAsync(CliArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var (message, dns, clock, json) = await MessageFile.ReadForVerificationAsync(arguments, cancellationToken).ConfigureAwait(false);

        var results = await new DkimVerifier(dns, timeProvider: clock).VerifyAsync(message, cancellationToken).ConfigureAwait(false);
        if (json)
        {
            output.WriteLine(ToJson(results));
        }
        else if (results.Count == 0)
        {
            output.WriteLine("dkim=none (message has no DKIM-Signature)");
        }
        else
        {
            foreach (var r in results)
            {
                output.WriteLine(Describe(r));
            }
        }

        return 0;
    }

    /// <summary>The signature's Authentication-Results resinfo (RFC 8601 §2.7.1), as the verdict header writes it.</summary>
    internal static string Describe(DkimSignatureResult r) => AuthenticationResultsWriter.ResInfo(VerdictAuthenticationResults.Dkim(r));

    private static string ToJson(IReadOnlyList<DkimSignatureResult> results)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartArray();
            foreach (var r in results)
            {
                writer.WriteStartObject();
                writer.WriteString("result", RfcName.Of(r.Result));
                writer.WriteString("domain", r.Domain);
                writer.WriteString("selector", r.Selector);
                writer.WriteString("algorithm", r.Algorithm);
                WriteOptional(writer, "identity", r.Identity);
                WriteOptional(writer, "b", r.SignatureBPrefix);
                if (r.KeyBits is { } bits)
                {
                    writer.WriteNumber("keyBits", bits);
                }

                writer.WriteBoolean("keyTesting", r.KeyTesting);
                writer.WriteBoolean("bodyLengthLimited", r.BodyLengthLimited);
                WriteOptional(writer, "reason", r.Reason);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
