using DmarcCloud.LocalHost.Configuration;

namespace DmarcCloud.LocalHost.Tests.Configuration;

public class FunctionMetadataReaderTests
{
    private static readonly LocalSettings Settings = new(new Dictionary<string, string>
    {
        ["EchoQueue"] = "echo-q",
        ["EchoTable"] = "EchoT",
        ["TickSchedule"] = "0 */5 * * * *",
        ["TickQueue"] = "ticks",
        ["InboundQueue"] = "inbound-mail",
    });

    [Fact]
    public async Task Every_function_folder_is_read_with_settings_resolved()
    {
        var functions = await FunctionMetadataReader.ReadAllAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "App"), Settings);

        Assert.Equal(["Disabled", "Echo", "Events", "Health", "Tick"], functions.Select(f => f.Name));
        var echo = functions.Single(f => f.Name == "Echo");
        Assert.Equal("serviceBusTrigger", echo.Trigger.Type);
        Assert.Equal("msg", echo.Trigger.Name);
        Assert.True(echo.Trigger.IsBinary);
        Assert.Equal("echo-q", echo.Trigger.Get("queueName"));
        Assert.Equal(["out", "rows"], echo.Outputs.Select(o => o.Name));
        Assert.Equal("echo-q-out", echo.Outputs.First().Get("queueName"));
        Assert.Equal("EchoT", echo.Outputs.Last().Get("tableName"));
        Assert.Equal("0 */5 * * * *", functions.Single(f => f.Name == "Tick").Trigger.Get("schedule"));
        Assert.Equal(["GET"], functions.Single(f => f.Name == "Health").Trigger.Methods);
        Assert.True(functions.Single(f => f.Name == "Disabled").Disabled);
    }

    [Theory]
    [InlineData("""{"bindings":[]}""", "0 trigger")]
    [InlineData("""{"bindings":[{"type":"timerTrigger","name":"a"},{"type":"queueTrigger","name":"b"}]}""", "2 trigger")]
    [InlineData("""{"bindings":[{"type":"timerTrigger"}]}""", "no 'name'")]
    [InlineData("""{"bindings":[{"name":"x"}]}""", "no 'type'")]
    [InlineData("""{"bindings":[{"type":"timerTrigger","name":"t","direction":"sideways"}]}""", "direction")]
    [InlineData("""{"scriptFile":"x"}""", "no 'bindings'")]
    [InlineData("""{"bindings":[{"type":"timerTrigger","name":"t","schedule":"%Missing%"}]}""", "Missing")]
    public void Invalid_function_json_is_a_format_error_that_says_why(string json, string why)
    {
        var error = Assert.Throws<FormatException>(() => FunctionMetadataReader.Parse("F", "F/function.json", json, Settings));

        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }
}
