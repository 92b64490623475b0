namespace DmarcCloud.Functions.ReportMail;

/// <summary>
/// Report mail through the inbound path (configuration section <c>Ingest</c>, e.g. <c>Ingest__Mailboxes</c>;
/// docs/received-reports.md "Intake through the inbound path").
/// </summary>
public sealed class IngestOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Ingest";

    /// <summary>
    /// The report mailboxes, comma-separated (<c>dmarc-rua@reports.example,dmarc-ruf@reports.example</c>): a message
    /// with one of them in RCPT TO is handed to report ingest after its evaluation. Empty: the door is closed.
    /// </summary>
    public string Mailboxes { get; set; } = string.Empty;

    /// <summary>Which report mail is accepted. Default <see cref="ReportMailAcceptance.DmarcPassOrTrustedArc"/>.</summary>
    public ReportMailAcceptance Acceptance { get; set; } = ReportMailAcceptance.DmarcPassOrTrustedArc;

    /// <summary>
    /// ARC sealers (the ARC-Seal <c>d=</c> domains) trusted to vouch for a report mail whose own DMARC failed after
    /// forwarding, comma-separated. Empty (the default): no ARC chain is trusted.
    /// </summary>
    public string TrustedArcSealers { get; set; } = string.Empty;

    /// <summary>The report mailboxes, lower-case.</summary>
    public IReadOnlySet<string> MailboxSet => Split(Mailboxes);

    /// <summary>The trusted ARC sealers, lower-case.</summary>
    public IReadOnlySet<string> TrustedArcSealerSet => Split(TrustedArcSealers);

    /// <summary>The reasons these settings are unusable; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        foreach (var mailbox in MailboxSet)
        {
            var at = mailbox.IndexOf('@', StringComparison.Ordinal);
            if (at <= 0 || at != mailbox.LastIndexOf('@') || at == mailbox.Length - 1 || mailbox.Any(c => c <= ' ' || c is '<' or '>' or ';'))
            {
                errors.Add($"{SectionName}:Mailboxes: '{mailbox}' is not a mail address (local@domain)");
            }
        }

        foreach (var sealer in TrustedArcSealerSet)
        {
            if (sealer.Contains('@', StringComparison.Ordinal) || sealer.Any(c => c <= ' ') || sealer.StartsWith('.') || sealer.EndsWith('.'))
            {
                errors.Add($"{SectionName}:TrustedArcSealers: '{sealer}' is not a domain name");
            }
        }

        if (!Enum.IsDefined(Acceptance))
        {
            errors.Add($"{SectionName}:Acceptance must be DmarcPassOrTrustedArc, DmarcPass or Any, not {Acceptance}");
        }

        return errors;
    }

    private static HashSet<string> Split(string? list) =>
        new((list ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.ToLowerInvariant()), StringComparer.Ordinal);
}
