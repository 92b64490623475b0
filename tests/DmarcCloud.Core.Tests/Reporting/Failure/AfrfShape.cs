using MimeKit;

namespace DmarcCloud.Core.Tests.Reporting.Failure;

/// <summary>The MIME shape of an RFC 5965 / RFC 6591 report, read with MimeKit: what the samples and our reports must share.</summary>
internal sealed record AfrfShape(string ReportType, string FirstPart, string ThirdPart, HeaderList Fields)
{
    /// <summary>Reads the shape; fails the test when the message is not an ARF report.</summary>
    public static AfrfShape Of(MimeMessage message)
    {
        var report = Assert.IsType<MultipartReport>(message.Body);
        Assert.True(report.Count >= 3, $"an ARF report has at least three parts, this one {report.Count}");
        var feedback = Assert.IsAssignableFrom<MimePart>(report[1]);
        Assert.True(feedback.ContentType.IsMimeType("message", "feedback-report"), feedback.ContentType.MimeType);
        using var content = new MemoryStream();
        feedback.Content!.DecodeTo(content);
        content.Position = 0;
        var fields = HeaderList.Load(content);
        return new AfrfShape(report.ReportType ?? string.Empty, report[0].ContentType.MimeType.ToLowerInvariant(), report[2].ContentType.MimeType.ToLowerInvariant(), fields);
    }

    public static MimeMessage Load(byte[] bytes) => MimeMessage.Load(new MemoryStream(bytes));

    /// <summary>A field that must be there.</summary>
    public string this[string name] => Fields[name] ?? throw new Xunit.Sdk.XunitException($"no {name} field");
}
