using MailKit.Security;

namespace Portal.Infrastructure.Email;

/// <summary>The "Portal:Email" section. Without <see cref="SmtpOptions.Host"/> e-mails go to a pickup folder.</summary>
public sealed class EmailOptions
{
    public const string Section = "Portal:Email";

    /// <summary>Off: notifications are in-app only.</summary>
    public bool Enabled { get; set; } = true;

    public string FromAddress { get; set; } = "portal@localhost";

    public string FromName { get; set; } = "Victims' Rights Portal";

    /// <summary>Where .eml files go when no SMTP server is configured; relative paths start at the data folder.</summary>
    public string PickupDirectory { get; set; } = "mail-pickup";

    public SmtpOptions Smtp { get; set; } = new();

    public string ResolvePickupDirectory(string dataDirectory) =>
        Path.GetFullPath(Path.IsPathRooted(PickupDirectory) ? PickupDirectory : Path.Combine(dataDirectory, PickupDirectory));
}

public sealed class SmtpOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>MailKit's choice: Auto, None, SslOnConnect, StartTls or StartTlsWhenAvailable.</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.StartTls;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);
}
