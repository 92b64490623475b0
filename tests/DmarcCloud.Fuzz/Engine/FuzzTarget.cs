namespace DmarcCloud.Fuzz.Engine;

/// <summary>
/// One thing to fuzz: a name, its seeds, tokens the mutator inserts, structural blow-ups that grow a hostile
/// dimension, and the call under test (which must not throw for any input).
/// </summary>
internal sealed class FuzzTarget
{
    public required string Name { get; init; }

    /// <summary>Seed inputs (from the test data and samples, plus a few written here).</summary>
    public required IReadOnlyList<byte[]> Seeds { get; init; }

    /// <summary>Tokens of the input's grammar (tag names, macro letters, header names, XML tags).</summary>
    public required IReadOnlyList<string> Dictionary { get; init; }

    /// <summary>Structural blow-ups: each takes the random source and a seed and returns a grown input.</summary>
    public required IReadOnlyList<Func<Random, byte[], byte[]>> BlowUps { get; init; }

    /// <summary>The call under test. It runs synchronously (in-memory DNS), so allocation is measured on one thread.</summary>
    public required Action<byte[]> Run { get; init; }

    /// <summary>Largest input the mutator makes (blow-ups may go to <see cref="MaxBlowUpBytes"/>).</summary>
    public int MaxInputBytes { get; init; } = 256 * 1024;

    /// <summary>Largest blow-up.</summary>
    public int MaxBlowUpBytes { get; init; } = 2 * 1024 * 1024;
}
