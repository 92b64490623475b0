namespace DmarcCloud.Functions.Health;

/// <summary>One component's state in a <see cref="HealthReport"/>.</summary>
/// <param name="Name">The component (<c>blob</c>, <c>table</c>, <c>evaluator</c>, <c>dns</c>).</param>
/// <param name="Healthy">Whether it works.</param>
/// <param name="Detail">What was checked, or what failed.</param>
public sealed record ComponentHealth(string Name, bool Healthy, string Detail);
