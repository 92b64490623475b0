namespace DmarcCloud.Functions.Invocation;

/// <summary>One function of the app: the handler the host calls at <c>POST /{Name}</c>.</summary>
internal interface IFunction
{
    /// <summary>The function's name: its folder, which holds its function.json.</summary>
    static abstract string Name { get; }

    /// <summary>Runs one invocation. Throwing fails the invocation (HTTP 500), so the trigger is retried.</summary>
    Task<InvocationResult> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken);
}
