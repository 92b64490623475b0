namespace DmarcCloud.LocalHost.Handler;

/// <summary>How to start the custom handler process.</summary>
public sealed record HandlerProcessOptions
{
    /// <summary>The executable (e.g. the published binary, or <c>dotnet</c>).</summary>
    public required string Executable { get; init; }

    /// <summary>Arguments (e.g. the path of <c>DmarcCloud.Functions.dll</c> after <c>dotnet</c>).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>The working directory.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>Environment variables (the app settings); FUNCTIONS_CUSTOMHANDLER_PORT is added.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>How long the handler may take to answer <c>GET /</c> (the host uses 30 s).</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The readiness poll interval (the host uses 25 ms).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(25);

    /// <summary>Restart the handler when it exits unexpectedly.</summary>
    public bool RestartOnExit { get; init; } = true;
}
