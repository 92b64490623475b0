namespace DmarcCloud.Fuzz.Engine;

/// <summary>What an input did wrong.</summary>
internal enum FindingKind
{
    /// <summary>The call threw (every target's contract is to return a result for any input).</summary>
    Exception,

    /// <summary>It took longer than the time budget.</summary>
    Slow,

    /// <summary>It allocated more than the absolute limit or the allowed multiple of its size.</summary>
    Allocation,
}

/// <summary>One bad input and what it did.</summary>
internal sealed record Finding(string Target, FindingKind Kind, string Detail, byte[] Input, TimeSpan Elapsed, long AllocatedBytes);
