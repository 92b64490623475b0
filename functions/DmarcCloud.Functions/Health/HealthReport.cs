namespace DmarcCloud.Functions.Health;

/// <summary>The body of the Health function's answer.</summary>
/// <param name="Status"><c>healthy</c> when every component is; else <c>unhealthy</c>.</param>
/// <param name="Components">Each component's state.</param>
public sealed record HealthReport(string Status, IReadOnlyList<ComponentHealth> Components);
