namespace DmarcCloud.Core.Dns;

/// <summary>One MX resource record.</summary>
/// <param name="Preference">Lower is preferred.</param>
/// <param name="Exchange">The mail exchanger's host name, without the trailing dot.</param>
public sealed record MxRecord(ushort Preference, string Exchange);
