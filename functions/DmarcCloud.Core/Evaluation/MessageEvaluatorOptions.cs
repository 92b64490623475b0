using DmarcCloud.Core.Arc;
using DmarcCloud.Core.Dkim;
using DmarcCloud.Core.Dmarc;
using DmarcCloud.Core.Mime;
using DmarcCloud.Core.Spf;

namespace DmarcCloud.Core.Evaluation;

/// <summary>Settings of <see cref="MessageEvaluator"/>: one place for every check's options.</summary>
public sealed class MessageEvaluatorOptions
{
    /// <summary>The authserv-id written into Authentication-Results (RFC 8601 §2.5): the receiving ADMD's name.</summary>
    public string AuthServId { get; set; } = "dmarccloud";

    /// <summary>DMARC: discovery method, PSL, pct random source, local policy.</summary>
    public DmarcEvaluatorOptions Dmarc { get; set; } = new();

    /// <summary>SPF limits and receiving host name (null: defaults).</summary>
    public SpfOptions? Spf { get; set; }

    /// <summary>DKIM verification settings (null: defaults).</summary>
    public DkimVerifierOptions? Dkim { get; set; }

    /// <summary>ARC validation settings (null: defaults).</summary>
    public ArcValidatorOptions? Arc { get; set; }

    /// <summary>Size limits checked before the message is parsed; a message over one is refused (docs/limits.md).</summary>
    public MessageLimits Limits { get; set; } = MessageLimits.Default;

    /// <summary>Also check the HELO identity with SPF when MAIL FROM is not null (default true; reported, not used by DMARC).</summary>
    public bool CheckHelo { get; set; } = true;
}
