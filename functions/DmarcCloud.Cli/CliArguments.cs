using System.CommandLine;
using System.CommandLine.Parsing;

namespace DmarcCloud.Cli;

/// <summary>
/// What System.CommandLine parsed for one command, read by name as text: the command checks each value itself and
/// says what is wrong with it. Every option given must be read by the command (<see cref="EnsureAllTaken"/>): an
/// option that does not apply to the form used (<c>--dns-zone</c> beside <c>--record</c>) is a usage error.
/// </summary>
internal sealed class CliArguments
{
    private readonly ParseResult _result;
    private readonly Dictionary<string, Option> _options;
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);
    private readonly List<string> _positionals;
    private int _positionalTaken;

    /// <summary>Wraps the parse of <paramref name="command"/> (whose symbols the command declared).</summary>
    public CliArguments(ParseResult result, Command command)
    {
        _result = result;
        _options = command.Options.Where(o => o.Name.StartsWith("--", StringComparison.Ordinal))
            .ToDictionary(o => o.Name[2..], StringComparer.Ordinal);
        _positionals = command.Arguments.SelectMany(a => result.GetResult(a)?.Tokens.Select(t => t.Value) ?? []).ToList();
    }

    /// <summary>The value of <c>--name</c>, or null when absent.</summary>
    public string? Option(string name)
    {
        var result = Given(name);
        if (result is null)
        {
            return null;
        }

        EnsureOnce(name, result);
        return result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
    }

    /// <summary>Every value of a repeatable <c>--name</c> option, in order; each may also be a comma-separated list.</summary>
    public IReadOnlyList<string> Options(string name) =>
        Given(name) is { } result
            ? result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray()
            : [];

    /// <summary>The value of <c>--name</c>; a usage error when absent.</summary>
    public string RequiredOption(string name) =>
        Option(name) ?? throw new CliUsageException($"--{name} is required");

    /// <summary>Whether the switch <c>--name</c> was given.</summary>
    public bool Flag(string name)
    {
        var result = Given(name);
        if (result is null)
        {
            return false;
        }

        EnsureOnce(name, result);
        return true;
    }

    /// <summary>The next positional argument; a usage error when there is none.</summary>
    public string RequiredPositional(string what) =>
        OptionalPositional() ?? throw new CliUsageException($"{what} is required");

    /// <summary>The next positional argument, or null when there is none.</summary>
    public string? OptionalPositional() =>
        _positionalTaken < _positionals.Count ? _positionals[_positionalTaken++] : null;

    /// <summary>Fails on options or positionals the command did not take.</summary>
    public void EnsureAllTaken()
    {
        if (_options.FirstOrDefault(o => !_taken.Contains(o.Key) && IsGiven(o.Value)) is { Key: { } unknown })
        {
            throw new CliUsageException($"unknown option --{unknown}");
        }

        if (_positionalTaken < _positionals.Count)
        {
            throw new CliUsageException($"unexpected argument '{_positionals[_positionalTaken]}'");
        }
    }

    private OptionResult? Given(string name)
    {
        if (!_options.TryGetValue(name, out var option))
        {
            // A command reading an option it did not declare is a bug, not a usage error.
            throw new InvalidOperationException($"the command reads --{name} but does not declare it");
        }

        _taken.Add(name);
        return IsGiven(option) ? _result.GetResult(option) : null;
    }

    private bool IsGiven(Option option) => _result.GetResult(option) is { Implicit: false };

    private static void EnsureOnce(string name, OptionResult result)
    {
        if (result.IdentifierTokenCount > 1)
        {
            throw new CliUsageException($"--{name} given twice");
        }
    }
}
