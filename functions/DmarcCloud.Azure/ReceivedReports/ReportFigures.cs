using DmarcCloud.Core.ReportIngest;

namespace DmarcCloud.Azure.ReceivedReports;

/// <summary>Message counts of a set of records (a report, a source, a day): the figures the dashboard shows.</summary>
public sealed class ReportFigures
{
    /// <summary>Messages (sum of <c>count</c>).</summary>
    public long Messages { get; set; }

    /// <summary>Messages that passed DMARC (aligned DKIM or aligned SPF pass): "compliant".</summary>
    public long DmarcPass { get; set; }

    /// <summary>Messages with disposition <c>quarantine</c>.</summary>
    public long Quarantined { get; set; }

    /// <summary>Messages with disposition <c>reject</c>.</summary>
    public long Rejected { get; set; }

    /// <summary>Messages whose aligned SPF passed (<c>policy_evaluated/spf</c>).</summary>
    public long SpfPass { get; set; }

    /// <summary>Messages whose aligned SPF failed.</summary>
    public long SpfFail { get; set; }

    /// <summary>Messages whose aligned DKIM passed (<c>policy_evaluated/dkim</c>).</summary>
    public long DkimPass { get; set; }

    /// <summary>Messages whose aligned DKIM failed.</summary>
    public long DkimFail { get; set; }

    /// <summary>Records counted.</summary>
    public long Records { get; set; }

    /// <summary>Adds one record.</summary>
    public void Add(AggregateRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var count = record.Row.Count;
        var evaluated = record.Row.PolicyEvaluated;
        Records++;
        Messages += count;
        DmarcPass += evaluated.DmarcPass ? count : 0;
        Quarantined += evaluated.Disposition == "quarantine" ? count : 0;
        Rejected += evaluated.Disposition == "reject" ? count : 0;
        SpfPass += evaluated.Spf == "pass" ? count : 0;
        SpfFail += evaluated.Spf is not null and not "pass" ? count : 0;
        DkimPass += evaluated.Dkim == "pass" ? count : 0;
        DkimFail += evaluated.Dkim is not null and not "pass" ? count : 0;
    }

    /// <summary>Adds other figures.</summary>
    public void Add(ReportFigures other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Records += other.Records;
        Messages += other.Messages;
        DmarcPass += other.DmarcPass;
        Quarantined += other.Quarantined;
        Rejected += other.Rejected;
        SpfPass += other.SpfPass;
        SpfFail += other.SpfFail;
        DkimPass += other.DkimPass;
        DkimFail += other.DkimFail;
    }

    internal void WriteTo(IDictionary<string, object> entity)
    {
        entity[nameof(Messages)] = Messages;
        entity[nameof(DmarcPass)] = DmarcPass;
        entity[nameof(Quarantined)] = Quarantined;
        entity[nameof(Rejected)] = Rejected;
        entity[nameof(SpfPass)] = SpfPass;
        entity[nameof(SpfFail)] = SpfFail;
        entity[nameof(DkimPass)] = DkimPass;
        entity[nameof(DkimFail)] = DkimFail;
        entity[nameof(Records)] = Records;
    }

    /// <summary>Writes the figures that are not zero (<see cref="ReadFrom"/> reads a missing one as zero): smaller rows.</summary>
    internal void WriteNonZeroTo(IDictionary<string, object> entity)
    {
        void Set(string name, long value)
        {
            if (value != 0)
            {
                entity[name] = value;
            }
        }

        Set(nameof(Messages), Messages);
        Set(nameof(DmarcPass), DmarcPass);
        Set(nameof(Quarantined), Quarantined);
        Set(nameof(Rejected), Rejected);
        Set(nameof(SpfPass), SpfPass);
        Set(nameof(SpfFail), SpfFail);
        Set(nameof(DkimPass), DkimPass);
        Set(nameof(DkimFail), DkimFail);
        Set(nameof(Records), Records);
    }

    internal static ReportFigures ReadFrom(global::Azure.Data.Tables.TableEntity entity) => new()
    {
        Messages = entity.GetInt64(nameof(Messages)) ?? 0,
        DmarcPass = entity.GetInt64(nameof(DmarcPass)) ?? 0,
        Quarantined = entity.GetInt64(nameof(Quarantined)) ?? 0,
        Rejected = entity.GetInt64(nameof(Rejected)) ?? 0,
        SpfPass = entity.GetInt64(nameof(SpfPass)) ?? 0,
        SpfFail = entity.GetInt64(nameof(SpfFail)) ?? 0,
        DkimPass = entity.GetInt64(nameof(DkimPass)) ?? 0,
        DkimFail = entity.GetInt64(nameof(DkimFail)) ?? 0,
        Records = entity.GetInt64(nameof(Records)) ?? 0,
    };
}
