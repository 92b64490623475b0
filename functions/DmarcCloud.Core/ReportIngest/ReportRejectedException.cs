namespace DmarcCloud.Core.ReportIngest;

/// <summary>Internal signal that input broke a rule or a limit; turned into a result value at every public entry point.</summary>
internal sealed class ReportRejectedException(string reason) : Exception(reason);
