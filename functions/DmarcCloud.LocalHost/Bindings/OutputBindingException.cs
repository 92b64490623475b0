namespace DmarcCloud.LocalHost.Bindings;

/// <summary>An output could not be written; the runner fails the invocation, as the host does.</summary>
public sealed class OutputBindingException : Exception
{
    /// <summary>Creates the exception.</summary>
    public OutputBindingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public OutputBindingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public OutputBindingException()
    {
    }
}
