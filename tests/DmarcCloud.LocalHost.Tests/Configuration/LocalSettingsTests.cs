using DmarcCloud.LocalHost.Configuration;

namespace DmarcCloud.LocalHost.Tests.Configuration;

public class LocalSettingsTests
{
    private static readonly LocalSettings Settings = new(new Dictionary<string, string> { ["A"] = "1", ["Schedule"] = "0 0 0 * * *" });

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("%A%", "1")]
    [InlineData("%a%", "1")]
    [InlineData("q-%A%-%A%", "q-1-1")]
    [InlineData("%Schedule%", "0 0 0 * * *")]
    [InlineData("100%", "100%")]
    public void Setting_references_are_resolved(string text, string expected) =>
        Assert.Equal(expected, Settings.Resolve(text));

    [Fact]
    public void A_missing_setting_is_an_error() =>
        Assert.Throws<FormatException>(() => Settings.Resolve("%NoSuchSetting_LocalSettingsTests%"));

    [Fact]
    public async Task Values_from_the_file_are_overlaid_by_overrides()
    {
        var path = Path.Combine(Path.GetTempPath(), $"settings-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, """{"IsEncrypted":false,"Values":{"X":"file","Y":"file","N":3}}""");
        try
        {
            var settings = await LocalSettings.LoadAsync(path, new Dictionary<string, string> { ["Y"] = "override" });

            Assert.Equal("file", settings.Get("X"));
            Assert.Equal("override", settings.Get("Y"));
            Assert.Equal("3", settings.Get("N"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
