using System.Text;
using DmarcCloud.LocalHost.Protocol;

namespace DmarcCloud.LocalHost.Tests.Protocol;

public class HandlerResponseTests
{
    [Theory]
    [InlineData("", "empty body")]
    [InlineData("   ", "empty body")]
    [InlineData("ok", "not JSON")]
    [InlineData("[1]", "not an object")]
    [InlineData("""{"Outputs":[1]}""", "Outputs is not a JSON object")]
    public void A_2xx_body_that_is_not_a_response_is_a_protocol_error(string body, string why)
    {
        var outcome = HandlerResponse.Parse(Encoding.UTF8.GetBytes(body));

        Assert.Null(outcome.Response);
        Assert.Contains(why, outcome.ProtocolError, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Outputs_logs_and_return_value_are_read()
    {
        var outcome = HandlerResponse.Parse(Encoding.UTF8.GetBytes("""{"Outputs":{"verdicts":["a","b"]},"Logs":["one",2],"ReturnValue":{"r":1}}"""));

        var response = Assert.IsType<HandlerResponse>(outcome.Response);
        Assert.Equal(2, response.Outputs["Verdicts"].GetArrayLength());
        Assert.Equal(["one", "2"], response.Logs);
        Assert.Equal("""{"r":1}""", response.ReturnValue!.Value.GetRawText());
    }

    [Fact]
    public void The_minimal_response_is_valid()
    {
        var response = HandlerResponse.Parse("""{"Outputs":{},"Logs":[],"ReturnValue":null}"""u8).Response;

        Assert.NotNull(response);
        Assert.Empty(response.Outputs);
        Assert.Null(response.ReturnValue);
    }
}
