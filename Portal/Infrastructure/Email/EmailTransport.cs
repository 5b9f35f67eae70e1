using System.Security.Cryptography;
using System.Text;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;
using Portal.Infrastructure.Data;

namespace Portal.Infrastructure.Email;

/// <summary>Hands a finished message to the mail system. <paramref name="deliveryKey"/> names it uniquely and for ever.</summary>
public interface IEmailTransport
{
    /// <summary>
    /// True when a second hand-over with the same delivery key sends nothing (the pickup folder); then the sender may
    /// record several hand-overs at once, since a crash before the record only repeats hand-overs that change nothing.
    /// </summary>
    bool IgnoresRepeats { get; }

    Task SendAsync(MimeMessage message, string deliveryKey, CancellationToken cancellationToken = default);
}

public static class MessageIds
{
    /// <summary>
    /// The Message-ID of the e-mail with this delivery key: the same on every attempt, so that the rare duplicate an SMTP
    /// retry can cause (the server accepted, we crashed before recording it) is recognisable and can be dropped.
    /// </summary>
    public static string For(string deliveryKey, string domain) =>
        $"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(deliveryKey)))[..40]}@{domain}";
}

/// <summary>
/// Writes each message as &lt;delivery key&gt;.eml in the pickup folder: written to a temporary file, flushed, then renamed
/// into place, so a reader never sees half a message. The name is the key, so a second attempt finds the file and writes
/// nothing: exactly one file per delivery, whatever crashes in between.
/// </summary>
public sealed class PickupFolderTransport(string directory) : IEmailTransport
{
    public string Directory { get; } = directory;

    public bool IgnoresRepeats => true;

    public string PathFor(string deliveryKey) => Path.Combine(Directory, deliveryKey + ".eml");

    /// <summary>
    /// Deletes half-written messages (<c>.tmp/*.part</c>) that a process killed mid-write left behind, those last written
    /// before <paramref name="writtenBefore"/> (all of them when null: nobody else writes here). Their messages were
    /// never put in place, so their deliveries are still pending and will be written again. Returns how many went.
    /// </summary>
    public int RemoveLeftovers(DateTimeOffset? writtenBefore)
    {
        var temporary = Path.Combine(Directory, ".tmp");
        if (!System.IO.Directory.Exists(temporary))
        {
            return 0;
        }

        var removed = 0;
        foreach (var part in System.IO.Directory.EnumerateFiles(temporary, "*.part"))
        {
            if (writtenBefore is null || File.GetLastWriteTimeUtc(part) < writtenBefore.Value.UtcDateTime)
            {
                File.Delete(part);
                removed++;
            }
        }

        return removed;
    }

    public async Task SendAsync(MimeMessage message, string deliveryKey, CancellationToken cancellationToken = default)
    {
        var final = PathFor(deliveryKey);
        if (File.Exists(final))
        {
            return;
        }

        var temporary = Path.Combine(Directory, ".tmp");
        System.IO.Directory.CreateDirectory(temporary);
        var part = Path.Combine(temporary, $"{deliveryKey}.{Guid.NewGuid():N}.part");
        try
        {
            await using (var stream = new FileStream(part, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                await message.WriteToAsync(stream, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                RandomAccess.FlushToDisk(stream.SafeFileHandle);
            }

            File.Move(part, final, overwrite: false);
        }
        catch (IOException) when (File.Exists(final))
        {
            // Another worker put the same message in place first: one file, which is the point.
        }
        finally
        {
            File.Delete(part);
        }
    }
}

/// <summary>
/// Sends through an SMTP server with MailKit. The server's acceptance and our commit cannot be one transaction: a crash
/// between them sends the message again on retry, with the same Message-ID.
/// </summary>
public sealed class SmtpTransport(IOptions<EmailOptions> options) : IEmailTransport
{
    public bool IgnoresRepeats => false;

    public async Task SendAsync(MimeMessage message, string deliveryKey, CancellationToken cancellationToken = default)
    {
        var smtp = options.Value.Smtp;
        using var client = new SmtpClient { Timeout = (int)smtp.Timeout.TotalMilliseconds };
        await client.ConnectAsync(smtp.Host ?? throw new InvalidOperationException("Portal:Email:Smtp:Host is not set."), smtp.Port, smtp.Security, cancellationToken);
        if (!string.IsNullOrEmpty(smtp.UserName))
        {
            await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? "", cancellationToken);
        }

        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}

public static class EmailExtensions
{
    public static IServiceCollection AddPortalEmail(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(EmailOptions.Section);
        var options = section.Get<EmailOptions>() ?? new EmailOptions();
        services.Configure<EmailOptions>(section);
        if (options.Smtp.IsConfigured)
        {
            services.AddSingleton<IEmailTransport, SmtpTransport>();
        }
        else
        {
            services.AddSingleton<IEmailTransport>(sp =>
            {
                var directory = options.ResolvePickupDirectory(sp.GetRequiredService<PortalDataLocation>().Directory);
                System.IO.Directory.CreateDirectory(directory);
                return new PickupFolderTransport(directory);
            });
            services.AddHostedService<PickupFolderLeftovers>();
        }

        return services;
    }
}

/// <summary>
/// At start-up, before anything is sent, removes what a killed process left half-written in the pickup folder. Inside
/// a data folder this portal holds locked, every leftover is dead; a pickup folder elsewhere may be shared with other
/// nodes that are writing right now, so there only leftovers older than any write could take are removed.
/// </summary>
internal sealed class PickupFolderLeftovers(IEmailTransport transport, PortalDataLocation data, IServiceProvider services, TimeProvider clock, ILogger<PickupFolderLeftovers> logger)
    : IHostedService
{
    private static readonly TimeSpan SharedFolderAge = TimeSpan.FromMinutes(10);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (transport is not PickupFolderTransport pickup)
        {
            return Task.CompletedTask;
        }

        var ours = services.GetService<DataFolderLock>() is not null
            && Path.GetFullPath(pickup.Directory).StartsWith(Path.GetFullPath(data.Directory) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        var removed = pickup.RemoveLeftovers(ours ? null : clock.GetUtcNow() - SharedFolderAge);
        if (removed > 0)
        {
            logger.LogInformation("Removed {Count} half-written e-mail(s) left in {Folder} by an earlier run; their deliveries are still pending.", removed, pickup.Directory);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
