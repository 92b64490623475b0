namespace DmarcCloud.Azure.Reporting;

/// <summary>How the SMTP connection to the relay is secured.</summary>
public enum SmtpSecurityMode
{
    /// <summary>STARTTLS is required (the default: RFC 9990 §2.4 wants reports sent over TLS).</summary>
    StartTls,

    /// <summary>Use STARTTLS when the server offers it.</summary>
    StartTlsWhenAvailable,

    /// <summary>Implicit TLS from the first byte (port 465).</summary>
    SslOnConnect,

    /// <summary>Plain text; only for a local sink such as MailDev.</summary>
    None,
}
