using DmarcCloud.LocalHost.Rpc;

namespace DmarcCloud.LocalHost.Worker;

/// <summary>Builds a fresh InvocationRequest (each attempt gets its own invocation id).</summary>
public delegate InvocationRequest InvocationRequestFactory();
