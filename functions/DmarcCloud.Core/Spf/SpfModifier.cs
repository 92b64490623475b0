namespace DmarcCloud.Core.Spf;

/// <summary>A modifier of an SPF record (<c>name=value</c>).</summary>
/// <param name="Name">The modifier name, lower-case.</param>
/// <param name="Value">The macro-string value.</param>
/// <remarks>RFC 7208 §4.6.1 and §6; unknown modifiers are kept and ignored (§6).</remarks>
public sealed record SpfModifier(string Name, string Value);
