using System.Text.Json.Serialization;

namespace DmarcCloud.Core.DomainCheck;

/// <summary>How much a finding of the domain checker matters.</summary>
/// <remarks>
/// Errors are what receivers act on against the domain owner's interest (no policy applied, SPF permerror,
/// reports never sent, keys no verifier accepts); the checker's exit code is 1 when there is one.
/// </remarks>
public enum FindingSeverity
{
    /// <summary>Something worth knowing; nothing to fix.</summary>
    [JsonStringEnumMemberName("info")]
    Info,

    /// <summary>Works today but is weak, deprecated or fragile.</summary>
    [JsonStringEnumMemberName("warning")]
    Warning,

    /// <summary>Broken: receivers ignore, reject or cannot evaluate what is published.</summary>
    [JsonStringEnumMemberName("error")]
    Error,
}
