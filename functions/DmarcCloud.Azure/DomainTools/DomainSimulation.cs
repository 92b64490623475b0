using DmarcCloud.Core.Rollout;

namespace DmarcCloud.Azure.DomainTools;

/// <summary>A policy simulation over a domain's received reports as the API returns it.</summary>
/// <param name="Domain">The domain.</param>
/// <param name="Reports">Stored aggregate reports read for the window.</param>
/// <param name="Warnings">Reports read only in part.</param>
/// <param name="Simulation">What the policy would have done.</param>
public sealed record DomainSimulation(string Domain, int Reports, IReadOnlyList<string> Warnings, PolicySimulation Simulation);
