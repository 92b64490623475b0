using System.CommandLine;

namespace DmarcCloud.Cli;

/// <summary>
/// Builds the System.CommandLine symbols the commands declare. Values are read as text by <see cref="CliArguments"/>
/// and checked by the command itself, so that each bad value keeps its own message ("--ip 'x' is not an IP address").
/// </summary>
internal static class CliParameters
{
    /// <summary>An option with one value: <c>--name &lt;helpName&gt;</c> (also <c>--name=value</c>).</summary>
    public static Option<string> Value(string name, string helpName, string description) =>
        new("--" + name) { HelpName = helpName, Description = description };

    /// <summary>An option that may be repeated; each value may also be a comma-separated list.</summary>
    public static Option<string[]> Repeatable(string name, string helpName, string description) =>
        new("--" + name) { HelpName = helpName, Description = description, Arity = ArgumentArity.OneOrMore };

    /// <summary>A switch without a value.</summary>
    public static Option<bool> Switch(string name, string description) =>
        new("--" + name) { Description = description, Arity = ArgumentArity.Zero };

    /// <summary>
    /// The positional values (up to <paramref name="most"/>; <see cref="int.MaxValue"/> for any number). They are optional to the parser: the command says which
    /// one is missing. A value that looks like an option (<c>--jsn</c>) is refused as unknown, never taken as a file.
    /// </summary>
    public static Argument Positionals(string name, string description, int most = 1)
    {
        // One value converts to string, more to string[] (System.CommandLine refuses string[] with a maximum of one).
        Argument argument = most == 1
            ? new Argument<string>(name) { Description = description, Arity = ArgumentArity.ZeroOrOne }
            : new Argument<string[]>(name) { Description = description, Arity = most == int.MaxValue ? ArgumentArity.ZeroOrMore : new ArgumentArity(0, most) };
        argument.Validators.Add(result =>
        {
            if (result.Tokens.FirstOrDefault(t => LooksLikeOption(t.Value)) is { } token)
            {
                result.AddError($"unknown option {token.Value}");
            }
        });
        return argument;
    }

    /// <summary>The <c>--json</c> switch most commands take.</summary>
    public static Option<bool> Json() => Switch("json", "print the result as JSON");

    /// <summary>The <c>--now &lt;unix&gt;</c> option (see <see cref="FixedTimeProvider"/>).</summary>
    public static Option<string> Now() => Value("now", "unix", "evaluate at this time (seconds since 1970-01-01 UTC), e.g. to verify an old message's signatures");

    private static bool LooksLikeOption(string value) => value.Length > 1 && value[0] == '-';
}
