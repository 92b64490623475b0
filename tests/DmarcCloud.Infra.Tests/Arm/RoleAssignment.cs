namespace DmarcCloud.Infra.Tests.Arm;

/// <summary>A role assignment as the template declares it.</summary>
/// <param name="RawName">The name expression (must be guid(scope, principal, role)).</param>
/// <param name="Scope">Evaluated scope resource id.</param>
/// <param name="RoleDefinitionId">Built-in role definition GUID.</param>
/// <param name="PrincipalExpression">The principalId expression, which says whose identity it is.</param>
internal sealed record RoleAssignment(string RawName, string Scope, string RoleDefinitionId, string PrincipalExpression)
{
    public bool IsForAppIdentity => PrincipalExpression.Contains("appIdentity", StringComparison.Ordinal);
}
