namespace DmarcCloud.LocalHost.Configuration;

/// <summary>A binding's <c>direction</c> in function.json.</summary>
public enum BindingDirection
{
    /// <summary><c>in</c>: the trigger or an input binding.</summary>
    In,

    /// <summary><c>out</c>: an output binding.</summary>
    Out,

    /// <summary><c>inout</c>.</summary>
    InOut,
}
