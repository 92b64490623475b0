using System.Text.Json;
using System.Text.Json.Nodes;
using DmarcCloud.Functions.Invocation;

namespace DmarcCloud.Functions.Tests.Invocation;

public class InvocationResultTests
{
    [Fact]
    public void An_empty_result_still_writes_outputs_logs_and_return_value()
    {
        Assert.Equal("{\"Outputs\":{},\"Logs\":[],\"ReturnValue\":null}", Write(new InvocationResult()));
    }

    [Fact]
    public void Queue_outputs_are_arrays_of_strings_even_for_one_message()
    {
        var result = new InvocationResult().SetMessages("verdicts", ["{\"a\":1}"]).SetMessages("failureReports", []).Log("done");

        Assert.Equal("{\"Outputs\":{\"verdicts\":[\"{\\u0022a\\u0022:1}\"],\"failureReports\":[]},\"Logs\":[\"done\"],\"ReturnValue\":null}", Write(result));
    }

    [Fact]
    public void Object_outputs_and_return_values_are_written_as_json()
    {
        var result = new InvocationResult { ReturnValue = JsonValue.Create(5) }.SetOutput("res", new JsonObject { ["statusCode"] = 200 });

        Assert.Equal("{\"Outputs\":{\"res\":{\"statusCode\":200}},\"Logs\":[],\"ReturnValue\":5}", Write(result));
    }

    private static string Write(InvocationResult result)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            result.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
