namespace DmarcCloud.Core.Dmarc;

/// <summary>The <c>fo=</c> failure reporting options of a DMARC record: when a failure report is due.</summary>
/// <remarks>
/// RFC 9989 §4.7 (tag <c>fo</c>, a colon-separated list, default <c>0</c>; unknown values make the tag invalid and
/// the default applies) and RFC 9991 §2. Parsed once, by <see cref="FailureReportOptionsSyntax"/>, from
/// <see cref="DmarcRecord.Parse(string)"/> and <see cref="PublishedPolicy.FailureOptions"/>.
/// </remarks>
[Flags]
public enum FailureReportOptions
{
    /// <summary>No option (only for an empty list; a record without <c>fo</c> means <see cref="AllFail"/>).</summary>
    None = 0,

    /// <summary><c>0</c>: report when all underlying mechanisms fail to produce an aligned pass (the default).</summary>
    AllFail = 1,

    /// <summary><c>1</c>: report when any underlying mechanism produced something other than an aligned pass.</summary>
    AnyFail = 2,

    /// <summary><c>d</c>: report when a DKIM signature failed evaluation, regardless of its alignment.</summary>
    DkimFail = 4,

    /// <summary><c>s</c>: report when SPF failed, regardless of its alignment.</summary>
    SpfFail = 8,
}
