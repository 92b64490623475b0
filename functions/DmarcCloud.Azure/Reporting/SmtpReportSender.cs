using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace DmarcCloud.Azure.Reporting;

/// <summary>
/// Sends report mail through the configured SMTP relay with MailKit. A permanent refusal (5xx) is a result;
/// anything transient (4xx, connection or TLS failure, timeout) is thrown so the function fails and Service
/// Bus redelivers the message.
/// </summary>
public sealed class SmtpReportSender
{
    private readonly ReporterOptions _options;

    /// <summary>Creates a sender over validated options.</summary>
    public SmtpReportSender(ReporterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>Sends <paramref name="message"/>.</summary>
    /// <exception cref="SmtpCommandException">A transient (4xx) refusal.</exception>
    /// <exception cref="IOException">The relay could not be reached or the connection broke.</exception>
    public async Task<SmtpSendResult> SendAsync(MimeMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var client = new SmtpClient { Timeout = 60_000 };
        await client.ConnectAsync(_options.SmtpHost, _options.SmtpPort, SecurityOf(_options.SmtpSecurity), cancellationToken).ConfigureAwait(false);
        try
        {
            if (!string.IsNullOrEmpty(_options.SmtpUserName))
            {
                await client.AuthenticateAsync(_options.SmtpUserName, _options.SmtpPassword ?? string.Empty, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                var reply = await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
                return SmtpSendResult.Sent(reply);
            }
            catch (SmtpCommandException ex) when ((int)ex.StatusCode >= 500)
            {
                return SmtpSendResult.Rejected($"{(int)ex.StatusCode} {ex.Message}".Trim());
            }
        }
        finally
        {
            if (client.IsConnected)
            {
                await client.DisconnectAsync(true, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static SecureSocketOptions SecurityOf(SmtpSecurityMode mode) => mode switch
    {
        SmtpSecurityMode.StartTlsWhenAvailable => SecureSocketOptions.StartTlsWhenAvailable,
        SmtpSecurityMode.SslOnConnect => SecureSocketOptions.SslOnConnect,
        SmtpSecurityMode.None => SecureSocketOptions.None,
        _ => SecureSocketOptions.StartTls,
    };
}
