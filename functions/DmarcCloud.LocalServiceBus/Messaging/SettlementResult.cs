namespace DmarcCloud.LocalServiceBus.Messaging;

/// <summary>How a settlement (complete, abandon, dead-letter, release) of a lock token went.</summary>
internal enum SettlementResult
{
    /// <summary>Done.</summary>
    Settled,

    /// <summary>The lock expired or the token is unknown: the SDK's MessageLockLost.</summary>
    LockLost,

    /// <summary>The operation (defer) is not supported here.</summary>
    NotSupported,
}
