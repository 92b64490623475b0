using System.Reflection;
using DmarcCloud.Functions.EvaluateMessage;
using Microsoft.Azure.Functions.Worker;

namespace DmarcCloud.Functions.Tests.EvaluateMessage;

/// <summary>
/// The Worker SDK's generated <c>DirectFunctionExecutor</c> calls a function directly only when its class is public;
/// for an internal class it creates a new <c>DefaultFunctionExecutor</c> per invocation, which compiles a new invoker
/// expression each time (one JIT-compiled method per invocation). Every function class is therefore public.
/// </summary>
public class FunctionClassVisibilityTests
{
    [Fact]
    public void Every_function_class_is_public_so_the_generated_executor_calls_it_directly()
    {
        var functions = typeof(EvaluateMessageFunction).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly).Select(m => (Type: t, Method: m)))
            .Where(x => x.Method.GetCustomAttribute<FunctionAttribute>() is not null)
            .ToList();

        Assert.Contains(functions, x => x.Type == typeof(EvaluateMessageFunction));
        Assert.True(functions.Count >= 19, $"found {functions.Count} functions");
        Assert.All(functions, x => Assert.True(x.Type.IsPublic, $"{x.Type.FullName} holds function {x.Method.Name} but is not public"));
    }
}
