using System.Text.Json;

namespace DmarcCloud.Functions.Invocation;

/// <summary>Maps functions to the routes the host calls and turns every outcome into a non-empty JSON answer.</summary>
internal static partial class FunctionEndpoints
{
    /// <summary>Maps <c>POST /{TFunction.Name}</c> to <typeparamref name="TFunction"/> (resolved from DI per call).</summary>
    public static IEndpointConventionBuilder MapFunction<TFunction>(this IEndpointRouteBuilder endpoints)
        where TFunction : class, IFunction =>
        endpoints.MapPost("/" + TFunction.Name, (RequestDelegate)(context => InvokeAsync<TFunction>(context)));

    private static async Task InvokeAsync<TFunction>(HttpContext context)
        where TFunction : class, IFunction
    {
        var cancellationToken = context.RequestAborted;
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FunctionEndpoints));
        var invocationId = context.Request.Headers["X-Azure-Functions-InvocationId"].ToString();
        InvocationResult result;
        InvocationRequest request;
        try
        {
            request = await InvocationRequest.ReadAsync(context.Request.Body, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            // The host always sends JSON; a body we cannot read will not improve on redelivery, but it is not
            // ours to acknowledge either: answer 400 so the failure is visible in the host's logs.
            LogUnreadableRequest(logger, TFunction.Name, invocationId, ex);
            await InvocationResult.Failed(StatusCodes.Status400BadRequest, $"unreadable invocation request: {ex.Message}")
                .WriteToAsync(context.Response, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            var function = context.RequestServices.GetRequiredService<TFunction>();
            result = await function.InvokeAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFailed(logger, TFunction.Name, invocationId, ex);
            result = InvocationResult.Failed(StatusCodes.Status500InternalServerError, $"{TFunction.Name} failed: {ex.GetType().Name}: {ex.Message}");
        }

        await result.WriteToAsync(context.Response, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Function} invocation {InvocationId}: unreadable request")]
    private static partial void LogUnreadableRequest(ILogger logger, string function, string invocationId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Function} invocation {InvocationId} failed")]
    private static partial void LogFailed(ILogger logger, string function, string invocationId, Exception exception);
}
