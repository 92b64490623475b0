using DmarcCloud.LocalHost.Rpc;
using Grpc.Core;

namespace DmarcCloud.LocalHost.Worker;

/// <summary>The host side of <c>FunctionRpc.EventStream</c>: hands each worker's stream to its connection.</summary>
internal sealed class FunctionRpcService(WorkerSupervisor supervisor) : FunctionRpc.FunctionRpcBase
{
    public override async Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requestStream);
        ArgumentNullException.ThrowIfNull(context);
        if (!await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false)
            || requestStream.Current.ContentCase != StreamingMessage.ContentOneofCase.StartStream)
        {
            return;
        }

        var connection = supervisor.Accept(requestStream.Current.StartStream.WorkerId);
        if (connection is null)
        {
            return;
        }

        await connection.RunAsync(requestStream, responseStream, context.CancellationToken).ConfigureAwait(false);
    }
}
