namespace DmarcCloud.Cli;

/// <summary>
/// The arguments after the command name: <c>--name value</c> options, <c>--flag</c> switches and positional
/// values. Every option must be taken by the command; anything left over is a usage error.
/// </summary>
internal sealed class CliArguments
{
    private readonly Dictionary<string, List<string?>> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);
    private readonly List<string> _positionals = [];
    private int _positionalTaken;

    /// <summary>Parses <paramref name="args"/>; <paramref name="flags"/> name the options that take no value.</summary>
    public CliArguments(IReadOnlyList<string> args, IReadOnlySet<string> flags)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                _positionals.Add(arg);
                continue;
            }

            var name = arg[2..];
            string? value = null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }
            else if (!flags.Contains(name))
            {
                if (i + 1 >= args.Count)
                {
                    throw new CliUsageException($"--{name} needs a value");
                }

                value = args[++i];
            }

            // Repeats are kept: options that allow them are read with Options(); Option() and Flag() refuse them.
            if (!_options.TryGetValue(name, out var values))
            {
                values = [];
                _options[name] = values;
            }

            values.Add(value);
        }
    }

    /// <summary>The value of <c>--name</c>, or null when absent.</summary>
    public string? Option(string name)
    {
        _taken.Add(name);
        return _options.TryGetValue(name, out var values) ? Single(name, values) : null;
    }

    /// <summary>Every value of a repeatable <c>--name</c> option, in order; each may also be a comma-separated list.</summary>
    public IReadOnlyList<string> Options(string name)
    {
        _taken.Add(name);
        return _options.TryGetValue(name, out var values)
            ? values.SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray()
            : [];
    }

    /// <summary>The value of <c>--name</c>; a usage error when absent.</summary>
    public string RequiredOption(string name) =>
        Option(name) ?? throw new CliUsageException($"--{name} is required");

    /// <summary>Whether the switch <c>--name</c> was given.</summary>
    public bool Flag(string name)
    {
        _taken.Add(name);
        if (!_options.TryGetValue(name, out var values))
        {
            return false;
        }

        Single(name, values);
        return true;
    }

    private static string? Single(string name, List<string?> values) =>
        values.Count == 1 ? values[0] : throw new CliUsageException($"--{name} given twice");

    /// <summary>The next positional argument; a usage error when there is none.</summary>
    public string RequiredPositional(string what) =>
        _positionalTaken < _positionals.Count ? _positionals[_positionalTaken++] : throw new CliUsageException($"{what} is required");

    /// <summary>The next positional argument, or null when there is none.</summary>
    public string? OptionalPositional() =>
        _positionalTaken < _positionals.Count ? _positionals[_positionalTaken++] : null;

    /// <summary>Fails on options or positionals the command did not take.</summary>
    public void EnsureAllTaken()
    {
        var unknown = _options.Keys.Where(k => !_taken.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new CliUsageException($"unknown option --{unknown[0]}");
        }

        if (_positionalTaken < _positionals.Count)
        {
            throw new CliUsageException($"unexpected argument '{_positionals[_positionalTaken]}'");
        }
    }
}
