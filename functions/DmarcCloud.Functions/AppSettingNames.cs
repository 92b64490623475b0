namespace DmarcCloud.Functions;

/// <summary>
/// App settings the functions' triggers name (<c>%Setting%</c>); the host resolves them, so Bicep (infra/app/
/// functionapp.bicep) and the local host must set every one. Cross-checked by tests/DmarcCloud.Infra.Tests.
/// </summary>
internal static class AppSettingNames
{
    /// <summary>NCRONTAB (UTC) of ScheduleAggregateReports; <c>0 0 0 * * *</c> in Azure.</summary>
    public const string AggregateReportSchedule = "AggregateReportSchedule";

    /// <summary>NCRONTAB of BuildAggregateReport, the drain of <c>aggregate-jobs</c>; every minute in Azure.</summary>
    public const string AggregateJobsDrainSchedule = "AggregateJobsDrainSchedule";

    /// <summary>NCRONTAB of SendReport, the drain of <c>outbound-reports</c>; every minute in Azure.</summary>
    public const string OutboundReportsDrainSchedule = "OutboundReportsDrainSchedule";

    /// <summary>The default drain schedule: at second 0 of every minute.</summary>
    public const string EveryMinute = "0 */1 * * * *";
}
