namespace DmarcCloud.LocalHost;

/// <summary>Reads <c>--name value</c> options (repeatable), <c>--flag</c> switches and positionals.</summary>
internal sealed class RunnerArguments
{
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    public RunnerArguments(IEnumerable<string> args, IReadOnlySet<string> flags)
    {
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var arg = e.Current;
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
            {
                var name = arg[2..];
                var eq = name.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0)
                {
                    Add(name[..eq], name[(eq + 1)..]);
                }
                else if (flags.Contains(name))
                {
                    _flags.Add(name);
                }
                else if (e.MoveNext())
                {
                    Add(name, e.Current);
                }
                else
                {
                    throw new ArgumentException($"--{name} needs a value.");
                }
            }
            else
            {
                Positionals.Add(arg);
            }
        }
    }

    public List<string> Positionals { get; } = [];

    public string? Get(string name) => _options.TryGetValue(name, out var values) ? values[^1] : null;

    public IReadOnlyList<string> All(string name) => _options.TryGetValue(name, out var values) ? values : [];

    public bool Has(string name) => _flags.Contains(name);

    public int GetInt(string name, int fallback) =>
        Get(name) is { } text ? (int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : throw new ArgumentException($"--{name} must be an integer.")) : fallback;

    private void Add(string name, string value)
    {
        if (!_options.TryGetValue(name, out var list))
        {
            _options[name] = list = [];
        }

        list.Add(value);
    }
}
