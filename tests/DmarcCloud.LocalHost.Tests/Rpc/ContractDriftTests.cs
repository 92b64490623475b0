using System.Reflection;
using DmarcCloud.LocalHost.Rpc;
using Google.Protobuf.Reflection;

namespace DmarcCloud.LocalHost.Tests.Rpc;

/// <summary>
/// Our Rpc/FunctionRpc.proto against the contract the worker package embeds (internal
/// <c>FunctionRpcReflection.Descriptor</c> of Microsoft.Azure.Functions.Worker.Grpc): every message, field and
/// enum value we declare must exist there with the same number, type and cardinality.
/// </summary>
public class ContractDriftTests
{
    private static readonly Lazy<FileDescriptor> Worker = new(() =>
    {
        var assembly = Assembly.Load("Microsoft.Azure.Functions.Worker.Grpc");
        var reflection = assembly.GetTypes().Single(t => t.Name == "FunctionRpcReflection");
        return (FileDescriptor)reflection.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;
    });

    public static TheoryData<string> OurMessages()
    {
        var data = new TheoryData<string>();
        foreach (var message in AllMessages(FunctionRpcReflection.Descriptor))
        {
            data.Add(message.Name);
        }

        return data;
    }

    [Fact]
    public void The_service_matches()
    {
        var ours = FunctionRpcReflection.Descriptor;
        var theirs = Worker.Value;
        Assert.Equal(theirs.Package, ours.Package);
        var method = Assert.Single(Assert.Single(ours.Services).Methods);
        var expected = theirs.Services.Single(s => s.Name == "FunctionRpc").Methods.Single(m => m.Name == method.Name);
        Assert.Equal("FunctionRpc", ours.Services[0].Name);
        Assert.Equal((expected.IsClientStreaming, expected.IsServerStreaming, expected.InputType.Name, expected.OutputType.Name),
            (method.IsClientStreaming, method.IsServerStreaming, method.InputType.Name, method.OutputType.Name));
    }

    [Theory]
    [MemberData(nameof(OurMessages))]
    public void Every_field_matches_the_workers_descriptor(string messageName)
    {
        var ours = AllMessages(FunctionRpcReflection.Descriptor).Single(m => m.Name == messageName);
        var theirs = WorkerMessage(messageName);
        foreach (var field in ours.Fields.InDeclarationOrder())
        {
            var other = theirs.FindFieldByNumber(field.FieldNumber);
            Assert.True(other is not null, $"{messageName}.{field.Name} = {field.FieldNumber}: the worker has no field with that number.");
            Assert.Equal(Describe(other!), Describe(field));
        }

        foreach (var enumType in ours.EnumTypes)
        {
            var otherEnum = theirs.EnumTypes.Single(e => e.Name == enumType.Name);
            foreach (var value in enumType.Values)
            {
                Assert.Equal(value.Name, otherEnum.FindValueByNumber(value.Number)?.Name);
            }
        }
    }

    [Fact]
    public void The_messages_the_host_relies_on_keep_their_streaming_field_numbers()
    {
        // The oneof cases of StreamingMessage the note lists (isolated-worker-host-protocol.md).
        var streaming = WorkerMessage("StreamingMessage");
        var expected = new Dictionary<string, int>
        {
            ["rpc_log"] = 2, ["invocation_request"] = 4, ["invocation_response"] = 5, ["function_load_request"] = 8,
            ["function_load_response"] = 9, ["worker_init_response"] = 16, ["worker_init_request"] = 17, ["start_stream"] = 20,
            ["functions_metadata_request"] = 29, ["function_metadata_response"] = 30,
        };
        foreach (var (name, number) in expected)
        {
            Assert.Equal(number, streaming.FindFieldByName(name).FieldNumber);
            Assert.Equal(number, StreamingMessage.Descriptor.FindFieldByName(name).FieldNumber);
        }
    }

    private static string Describe(FieldDescriptor field)
    {
        var type = field.FieldType switch
        {
            FieldType.Message => field.IsMap
                ? $"map<{field.MessageType.FindFieldByNumber(1).FieldType}, {Value(field.MessageType.FindFieldByNumber(2))}>"
                : field.MessageType.Name,
            FieldType.Enum => field.EnumType.Name,
            _ => field.FieldType.ToString(),
        };
        var oneof = field.RealContainingOneof?.Name;
        return $"{(field.IsRepeated && !field.IsMap ? "repeated " : "")}{type} {field.Name} = {field.FieldNumber}{(oneof is null ? "" : $" (oneof {oneof})")}";
    }

    private static string Value(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.Message => field.MessageType.Name,
        FieldType.Enum => field.EnumType.Name,
        _ => field.FieldType.ToString(),
    };

    private static MessageDescriptor WorkerMessage(string name)
    {
        var found = AllFiles(Worker.Value).SelectMany(AllMessages).FirstOrDefault(m => m.Name == name);
        Assert.True(found is not null, $"The worker's contract has no message {name}.");
        return found!;
    }

    private static IEnumerable<FileDescriptor> AllFiles(FileDescriptor file) =>
        new[] { file }.Concat(file.Dependencies.SelectMany(AllFiles)).DistinctBy(f => f.Name);

    private static IEnumerable<MessageDescriptor> AllMessages(FileDescriptor file) =>
        file.MessageTypes.SelectMany(Nested);

    private static IEnumerable<MessageDescriptor> Nested(MessageDescriptor message) =>
        new[] { message }.Concat(message.NestedTypes.Where(n => !n.GetOptions()?.MapEntry ?? true).SelectMany(Nested));
}
