using DmarcCloud.Core.Reporting;

namespace DmarcCloud.Core.Tests.Reporting;

/// <summary>The validator over the schema copies in TestData/schema (independent of the embedded ones).</summary>
internal static class Schemas
{
    private static readonly Lazy<AggregateReportSchemaValidator> Instance = new(() =>
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "TestData", "schema");
        using var rfc9990 = File.OpenRead(Path.Combine(dir, "rfc9990_dmarc-xml-0.2_draft-32.xsd"));
        using var rfc7489 = File.OpenRead(Path.Combine(dir, "rfc7489-appendix-c_rua-schema_mail-dmarc-oneline-pattern.xsd"));
        return new AggregateReportSchemaValidator(rfc9990, rfc7489);
    });

    public static AggregateReportSchemaValidator Validator => Instance.Value;

    public static string TestData(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "TestData", .. parts]);
}
