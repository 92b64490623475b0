namespace DmarcCloud.Core.Dmarc;

/// <summary>The author domain(s) of a message, read from its RFC 5322 From field.</summary>
/// <param name="Problem">Why there is no single author domain, or <see cref="AuthorDomainProblem.None"/>.</param>
/// <param name="Addresses">The addr-specs found, in order.</param>
/// <param name="Domains">Their distinct domains as A-labels, lower-case, in order of first appearance.</param>
/// <param name="Detail">A human-readable explanation of <paramref name="Problem"/>.</param>
public sealed record AuthorDomainResult(
    AuthorDomainProblem Problem,
    IReadOnlyList<string> Addresses,
    IReadOnlyList<string> Domains,
    string? Detail = null)
{
    /// <summary>The single author domain, or null when there is none or several.</summary>
    public string? Domain => Problem == AuthorDomainProblem.None ? Domains[0] : null;

    /// <summary>DMARC can be evaluated (one domain, or several domains each evaluated).</summary>
    public bool CanEvaluate => Problem is AuthorDomainProblem.None or AuthorDomainProblem.SeveralDomains;
}
