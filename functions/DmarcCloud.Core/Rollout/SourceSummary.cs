namespace DmarcCloud.Core.Rollout;

/// <summary>One sending source (address) over the window: its mail, what would happen to it, and why it is classed so.</summary>
/// <param name="SourceIp">The address.</param>
/// <param name="ReverseName">Its PTR name, when any row gave one.</param>
/// <param name="Service">The known sending service, when any row gave one.</param>
/// <param name="Messages">All messages from it.</param>
/// <param name="Failing">Messages that failed DMARC.</param>
/// <param name="WouldQuarantine">Failing messages the simulated policy would quarantine.</param>
/// <param name="WouldReject">Failing messages the simulated policy would reject.</param>
/// <param name="Days">Distinct days it was seen on.</param>
/// <param name="Class">Compliant, legitimate-looking, or suspicious.</param>
/// <param name="Reasons">Why it looks legitimate (empty for compliant and suspicious sources).</param>
/// <param name="Fix">What to do about it, for a legitimate-looking failing source.</param>
public sealed record SourceSummary(
    string SourceIp,
    string? ReverseName,
    string? Service,
    long Messages,
    long Failing,
    long WouldQuarantine,
    long WouldReject,
    int Days,
    SourceClass Class,
    IReadOnlyList<string> Reasons,
    string? Fix);
