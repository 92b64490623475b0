namespace DmarcCloud.Core.Dns;

/// <summary>The answer to one DNS question: a status and, on success, the records.</summary>
/// <typeparam name="T">The record type asked for.</typeparam>
public sealed record DnsResult<T>
{
    private DnsResult(DnsResultStatus status, IReadOnlyList<T> records, string? error)
    {
        Status = status;
        Records = records;
        Error = error;
    }

    /// <summary>How the query ended.</summary>
    public DnsResultStatus Status { get; }

    /// <summary>The records; empty unless <see cref="Status"/> is <see cref="DnsResultStatus.Success"/>.</summary>
    public IReadOnlyList<T> Records { get; }

    /// <summary>For a temporary failure, what went wrong (e.g. "timeout", "SERVFAIL").</summary>
    public string? Error { get; }

    /// <summary>True for NXDOMAIN and NODATA: RFC 7208 §4.6.4 "void lookup".</summary>
    public bool IsVoid => Status is DnsResultStatus.NxDomain or DnsResultStatus.NoData;

    /// <summary>An answer with records; an empty list becomes <see cref="DnsResultStatus.NoData"/>.</summary>
    public static DnsResult<T> Success(IReadOnlyList<T> records) =>
        records.Count == 0 ? NoData() : new(DnsResultStatus.Success, records, null);

    /// <summary>The name exists but holds no record of the asked type.</summary>
    public static DnsResult<T> NoData() => new(DnsResultStatus.NoData, [], null);

    /// <summary>The name does not exist.</summary>
    public static DnsResult<T> NxDomain() => new(DnsResultStatus.NxDomain, [], null);

    /// <summary>The question could not be answered now.</summary>
    public static DnsResult<T> TemporaryFailure(string error) => new(DnsResultStatus.TemporaryFailure, [], error);

    /// <summary>The same status and error with records of another type (for failures and empty answers).</summary>
    public DnsResult<TOther> WithoutRecords<TOther>() => Status switch
    {
        DnsResultStatus.NxDomain => DnsResult<TOther>.NxDomain(),
        DnsResultStatus.TemporaryFailure => DnsResult<TOther>.TemporaryFailure(Error ?? "temporary failure"),
        _ => DnsResult<TOther>.NoData(),
    };
}
