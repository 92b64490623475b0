using System.Text;
using System.Text.Json;
using DmarcCloud.LocalHost.Bindings;
using DmarcCloud.LocalHost.Configuration;

namespace DmarcCloud.LocalHost.Tests.Protocol;

public class OutputItemsTests
{
    private static readonly BindingMetadata Text = new() { Type = "serviceBus", Name = "out", Direction = BindingDirection.Out };
    private static readonly BindingMetadata Binary = Text with { DataType = "binary" };
    private static readonly FunctionMetadata Function = new() { Name = "F", Path = "F/function.json", Bindings = [Text] };

    [Theory]
    [InlineData("""["a","b"]""", new[] { "a", "b" })]
    [InlineData("""["aGk="]""", new[] { "aGk=" })]
    [InlineData("""[{"x":1},2]""", new[] { """{"x":1}""", "2" })]
    [InlineData("\"aGk=\"", new[] { "hi" })]
    [InlineData("\"plain text\"", new[] { "plain text" })]
    [InlineData("""{"x":1}""", new[] { """{"x":1}""" })]
    public void An_array_sends_one_item_per_element_and_a_top_level_string_falls_into_the_base64_trap(string json, string[] expected)
    {
        using var document = JsonDocument.Parse(json);

        var items = OutputWriter.Items(Text, document.RootElement);

        Assert.Equal(expected, items.Select(i => Encoding.UTF8.GetString(i)));
    }

    [Fact]
    public void A_binary_output_must_be_base64()
    {
        using var document = JsonDocument.Parse("\"not base64!\"");

        Assert.Throws<OutputBindingException>(() => OutputWriter.Single(Binary, document.RootElement));
    }

    [Theory]
    [InlineData("""{"PartitionKey":"p","RowKey":"r","S":"s","I":1,"L":5000000000,"D":1.5,"B":true,"O":{"a":1},"N":null}""", true)]
    [InlineData("""{"PartitionKey":"p"}""", false)]
    [InlineData("""{"RowKey":"r"}""", false)]
    [InlineData("\"text\"", false)]
    public void Table_items_need_partition_and_row_keys(string json, bool valid)
    {
        using var document = JsonDocument.Parse(json);

        if (!valid)
        {
            Assert.Throws<OutputBindingException>(() => OutputWriter.ToEntity(Function, Text, document.RootElement));
            return;
        }

        var entity = OutputWriter.ToEntity(Function, Text, document.RootElement);
        Assert.Equal(("p", "r", "s", 1, 5000000000L, 1.5, true, """{"a":1}"""), (entity.PartitionKey, entity.RowKey, entity["S"], entity["I"], entity["L"], entity["D"], entity["B"], entity["O"]));
        Assert.False(entity.ContainsKey("N"));
    }
}
