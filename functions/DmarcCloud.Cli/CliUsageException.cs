namespace DmarcCloud.Cli;

/// <summary>Bad command-line arguments: the message is shown with the usage, and the exit code is 2.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
