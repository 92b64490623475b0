using DmarcCloud.Core.Dmarc;

namespace DmarcCloud.Core.Rollout;

/// <summary>The policy to simulate: <c>p</c>, and optionally <c>sp</c> and <c>np</c>.</summary>
/// <param name="P">The domain's policy.</param>
/// <param name="Sp">The policy for existing subdomains (default: <paramref name="P"/>).</param>
/// <param name="Np">The policy for non-existent subdomains (default: <paramref name="Sp"/>, then <paramref name="P"/>).</param>
/// <param name="NonExistentSubdomains">Author domains below the domain known not to exist (NXDOMAIN), to which <paramref name="Np"/> applies.</param>
/// <remarks>RFC 9989 §4.7 (<c>p</c>, <c>sp</c>, <c>np</c>).</remarks>
public sealed record SimulatedPolicy(DmarcPolicy P, DmarcPolicy? Sp = null, DmarcPolicy? Np = null, IReadOnlySet<string>? NonExistentSubdomains = null)
{
    /// <summary>The policy that applies to mail from <paramref name="headerFrom"/> under <paramref name="domain"/>, and which tag says so.</summary>
    public (DmarcPolicy Policy, string Tag) For(string domain, string headerFrom)
    {
        if (string.Equals(headerFrom, domain, StringComparison.Ordinal))
        {
            return (P, "p");
        }

        if (NonExistentSubdomains?.Contains(headerFrom) == true)
        {
            return (Np ?? Sp ?? P, Np is not null ? "np" : Sp is not null ? "sp" : "p");
        }

        return (Sp ?? P, Sp is not null ? "sp" : "p");
    }
}
