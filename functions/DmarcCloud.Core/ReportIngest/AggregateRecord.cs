namespace DmarcCloud.Core.ReportIngest;

/// <summary>One <c>record</c>: a row of identical messages with their identifiers and authentication results.</summary>
/// <param name="Row"><c>row</c>.</param>
/// <param name="Identifiers"><c>identifiers</c>.</param>
/// <param name="AuthResults"><c>auth_results</c>.</param>
public sealed record AggregateRecord(RecordRow Row, RecordIdentifiers Identifiers, RecordAuthResults AuthResults);
