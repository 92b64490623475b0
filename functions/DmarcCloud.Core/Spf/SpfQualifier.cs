namespace DmarcCloud.Core.Spf;

/// <summary>The qualifier in front of a mechanism: the result when it matches.</summary>
/// <remarks>RFC 7208 §4.6.2: <c>+</c> pass (the default), <c>-</c> fail, <c>~</c> softfail, <c>?</c> neutral.</remarks>
public enum SpfQualifier
{
    /// <summary><c>+</c>: the result is pass.</summary>
    Pass,

    /// <summary><c>-</c>: the result is fail.</summary>
    Fail,

    /// <summary><c>~</c>: the result is softfail.</summary>
    SoftFail,

    /// <summary><c>?</c>: the result is neutral.</summary>
    Neutral,
}
