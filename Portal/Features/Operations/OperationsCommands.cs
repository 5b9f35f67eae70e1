using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Portal.Domain.Audit;
using Portal.Features.Operations.Backup;
using Portal.Infrastructure.Audit;
using Portal.Infrastructure.Configuration;
using Portal.Infrastructure.Data;
using Portal.Startup;

namespace Portal.Features.Operations;

/// <summary>
/// The portal's console commands (<c>dotnet Portal.dll admin|backup|restore …</c>, or <c>dotnet run --project Portal -- …</c>):
/// they build the portal's own services from the same configuration as a start, but serve nothing. Output is in the
/// operator's language (LANG); log lines go to standard error, warnings and worse only.
/// </summary>
public static class OperationsCommands
{
    public const string PassphraseVariable = "PORTAL_BACKUP_PASSPHRASE";

    private static readonly string[] Verbs = ["admin", "backup", "restore", "--help", "-h", "-?"];

    /// <summary>Whether the arguments ask for a command rather than a start.</summary>
    public static bool Handles(string[] args) => args.Length > 0 && Verbs.Contains(args[0], StringComparer.Ordinal);

    /// <summary>Runs the command; <paramref name="invocation"/> says where its output goes (the console unless given).</summary>
    public static async Task<int> RunAsync(string[] args, InvocationConfiguration? invocation = null)
    {
        var text = Localizer();
        var root = new RootCommand(text["Root_Description"]) { Admin(text), BackupCommand(text), RestoreCommand(text) };
        return await root.Parse(args).InvokeAsync(invocation);
    }

    private static Command Admin(IStringLocalizer text)
    {
        var email = new Option<string>("--email") { Description = text["Option_Email"], Required = true };
        var name = new Option<string>("--name") { Description = text["Option_Name"], Required = true };
        var language = new Option<string>("--language") { Description = text["Option_Language"], DefaultValueFactory = _ => "en" };
        language.AcceptOnlyFromAmong("en", "fr");
        var validFor = ValidHours(text);
        var create = new Command("create", text["Admin_Create_Description"]) { email, name, language, validFor };
        create.SetAction((parse, cancellationToken) => WithAdministrationAsync(parse, text, async (admin, output) =>
        {
            var result = await admin.CreateAdministratorAsync(parse.GetRequiredValue(email), parse.GetRequiredValue(name), parse.GetRequiredValue(language), TimeSpan.FromHours(parse.GetRequiredValue(validFor)));
            return Report(result, output, parse, text, link =>
            {
                output.WriteLine(text["Admin_Created", link.UserName, link.DisplayName]);
                WriteLink(output, text, admin, link);
            });
        }));

        var linkEmail = CloneEmail(email, text);
        var linkValidFor = ValidHours(text);
        var link = new Command("link", text["Admin_Link_Description"]) { linkEmail, linkValidFor };
        link.SetAction((parse, cancellationToken) => WithAdministrationAsync(parse, text, async (admin, output) =>
        {
            var result = await admin.IssueLinkAsync(parse.GetRequiredValue(linkEmail), TimeSpan.FromHours(parse.GetRequiredValue(linkValidFor)));
            return Report(result, output, parse, text, issued => WriteLink(output, text, admin, issued));
        }));

        var resetEmail = CloneEmail(email, text);
        var reset = new Command("reset-2fa", text["Admin_Reset_Description"]) { resetEmail };
        reset.SetAction((parse, cancellationToken) => WithAdministrationAsync(parse, text, async (admin, output) =>
            Report(await admin.ResetTwoFactorAsync(parse.GetRequiredValue(resetEmail)), output, parse, text, userName => output.WriteLine(text["Admin_Reset_Done", userName]))));

        var unlockEmail = CloneEmail(email, text);
        var unlock = new Command("unlock", text["Admin_Unlock_Description"]) { unlockEmail };
        unlock.SetAction((parse, cancellationToken) => WithAdministrationAsync(parse, text, async (admin, output) =>
            Report(await admin.UnlockAsync(parse.GetRequiredValue(unlockEmail)), output, parse, text, user =>
            {
                output.WriteLine(text["Admin_Unlocked", user.UserName!]);
                if (user.IsDisabled)
                {
                    output.WriteLine(text["Admin_StillDisabled"]);
                }
            })));

        var list = new Command("list", text["Admin_List_Description"]);
        list.SetAction((parse, cancellationToken) => WithAdministrationAsync(parse, text, async (admin, output) =>
        {
            var administrators = await admin.ListAdministratorsAsync();
            if (administrators.Count == 0)
            {
                await output.WriteLineAsync(text["Admin_List_None"]);
            }

            foreach (var a in administrators)
            {
                var state = new List<string> { a.AuthenticatorEnrolled ? text["Admin_State_Enrolled"] : text["Admin_State_NotEnrolled"] };
                if (a.LockedOut)
                {
                    state.Add(text["Admin_State_Locked"]);
                }

                if (a.Disabled)
                {
                    state.Add(text["Admin_State_Disabled"]);
                }

                if (a.LinkValidUntil is { } until)
                {
                    state.Add(text["Admin_State_Link", until.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)]);
                }

                await output.WriteLineAsync($"{a.UserName}\t{a.DisplayName}\t{string.Join(", ", state)}");
            }

            return 0;
        }));

        return new Command("admin", text["Admin_Description"]) { create, link, reset, unlock, list };
    }

    private static Command BackupCommand(IStringLocalizer text)
    {
        var to = new Option<DirectoryInfo>("--to") { Description = text["Option_To"], Required = true };
        var (passphraseFile, passphraseFromEnvironment) = PassphraseOptions(text);
        var certificate = new Option<bool>("--certificate") { Description = text["Option_Certificate"] };
        var command = new Command("backup", text["Backup_Description"]) { to, passphraseFile, passphraseFromEnvironment, certificate };
        command.SetAction((parse, cancellationToken) => WithPortalAsync(parse, text, async (services, output) =>
        {
            var passphrase = ReadPassphrase(parse, passphraseFile, passphraseFromEnvironment);
            var useCertificate = parse.GetValue(certificate);
            if (passphrase is not null && useCertificate)
            {
                throw new OperationRefusedException("Backup_OneProtection");
            }

            var protection = passphrase is not null ? BackupProtection.WithPassphrase(passphrase)
                : useCertificate ? BackupProtection.WithCertificate(KeyRingCertificate(services))
                : BackupProtection.None;
            var sources = BackupSources.From(services);
            var manifest = await new BackupWriter(services.GetRequiredService<TimeProvider>()).WriteAsync(sources, parse.GetRequiredValue(to).FullName, protection, cancellationToken);
            await AuditAsync(services, AuditAction.BackupTaken, $"{manifest.Files.Count} files, {(manifest.Encryption?.Method ?? "not encrypted")}, created {manifest.CreatedUtc:O}");
            await output.WriteLineAsync(text["Backup_Done", parse.GetRequiredValue(to).FullName, manifest.Files.Count, Megabytes(manifest.Files.Sum(f => f.Length))]);
            WriteRows(output, text, manifest);
            await output.WriteLineAsync(manifest.Encryption is null ? text["Backup_NotEncrypted"] : text["Backup_Encrypted", manifest.Encryption.Method]);
            if (sources.PortalDatabase is null)
            {
                await output.WriteLineAsync(text["Backup_PostgresNote"]);
            }

            return 0;
        }, requireDatabase: false));
        return command;
    }

    private static Command RestoreCommand(IStringLocalizer text)
    {
        var from = new Option<DirectoryInfo>("--from") { Description = text["Option_From"], Required = true };
        var (passphraseFile, passphraseFromEnvironment) = PassphraseOptions(text);
        var command = new Command("restore", text["Restore_Description"]) { from, passphraseFile, passphraseFromEnvironment };
        command.SetAction((parse, cancellationToken) => WithPortalAsync(parse, text, async (services, output) =>
        {
            var sources = BackupSources.From(services);
            var restorer = new BackupRestorer(services.GetRequiredService<IDbContextFactory<PortalDbContext>>());
            var manifest = await restorer.RestoreAsync(parse.GetRequiredValue(from).FullName, sources, encryption => encryption.Method switch
            {
                BackupEncryption.PassphraseMethod => BackupCipher.FromPassphrase(
                    ReadPassphrase(parse, passphraseFile, passphraseFromEnvironment) ?? throw new OperationRefusedException("Restore_NeedsPassphrase"),
                    Convert.FromBase64String(encryption.Salt!)),
                BackupEncryption.CertificateMethod => UnlockWithCertificate(services, encryption),
                _ => throw new OperationRefusedException("Restore_UnknownFormat", encryption.Method),
            }, cancellationToken);
            await output.WriteLineAsync(text["Restore_Done", sources.DataDirectory, manifest.CreatedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), manifest.Files.Count]);
            WriteRows(output, text, manifest);
            await using var db = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(cancellationToken);
            if (await ConsoleAdministration.DatabaseReadyAsync(db))
            {
                await AuditAsync(services, AuditAction.BackupRestored, $"backup created {manifest.CreatedUtc:O}, portal {manifest.PortalVersion}");
            }
            else
            {
                await output.WriteLineAsync(text["Restore_NotAudited"]);
            }

            return 0;
        }, requireDatabase: false));
        return command;
    }

    private static Option<int> ValidHours(IStringLocalizer text)
    {
        var hours = new Option<int>("--valid-hours") { Description = text["Option_ValidHours"], DefaultValueFactory = _ => (int)Account.EnrolmentLinkService.DefaultLifetime.TotalHours };
        hours.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 168)
            {
                result.AddError(text["Option_ValidHoursRange"]);
            }
        });
        return hours;
    }

    private static Option<string> CloneEmail(Option<string> email, IStringLocalizer text) =>
        new(email.Name) { Description = text["Option_Email"], Required = true };

    private static (Option<FileInfo> File, Option<bool> FromEnvironment) PassphraseOptions(IStringLocalizer text) =>
        (new Option<FileInfo>("--passphrase-file") { Description = text["Option_PassphraseFile"] },
         new Option<bool>("--passphrase-from-env") { Description = text["Option_PassphraseFromEnv", PassphraseVariable] });

    // Never from the command line itself, where every user of the machine can read it (ps, shell history).
    private static string? ReadPassphrase(ParseResult parse, Option<FileInfo> file, Option<bool> fromEnvironment)
    {
        if (parse.GetValue(file) is { } path)
        {
            return path.Exists
                ? File.ReadAllText(path.FullName).TrimEnd('\r', '\n')
                : throw new OperationRefusedException("Backup_PassphraseFileMissing", path.FullName);
        }

        if (parse.GetValue(fromEnvironment))
        {
            return Environment.GetEnvironmentVariable(PassphraseVariable) is { Length: > 0 } value
                ? value
                : throw new OperationRefusedException("Backup_PassphraseVariableEmpty", PassphraseVariable);
        }

        return null;
    }

    private static X509Certificate2 KeyRingCertificate(IServiceProvider services)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        var path = configuration["Portal:DataProtection:CertificatePath"];
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            throw new OperationRefusedException("Backup_NoCertificate");
        }

        try
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, configuration["Portal:DataProtection:CertificatePassword"]);
        }
        catch (CryptographicException ex)
        {
            throw new OperationRefusedException("Backup_CertificateUnreadable", path, ex.Message);
        }
    }

    /// <summary>The backup's key, unwrapped with the configured key-ring certificate if it is the one the backup names.</summary>
    private static BackupCipher UnlockWithCertificate(IServiceProvider services, BackupEncryption encryption)
    {
        using var certificate = KeyRingCertificate(services);
        if (!string.Equals(certificate.Thumbprint, encryption.CertificateThumbprint, StringComparison.OrdinalIgnoreCase))
        {
            throw new OperationRefusedException("Restore_OtherCertificate", encryption.CertificateThumbprint ?? "", certificate.Thumbprint);
        }

        try
        {
            return BackupCipher.FromCertificate(certificate, Convert.FromBase64String(encryption.WrappedKey!));
        }
        catch (CryptographicException)
        {
            throw new OperationRefusedException("Restore_WrongKey");
        }
    }

    private static void WriteLink(TextWriter output, IStringLocalizer text, ConsoleAdministration admin, IssuedLink link)
    {
        output.WriteLine(text["Admin_Link_Intro", link.DisplayName, link.ValidUntil.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)]);
        output.WriteLine(link.Link);
        if (admin.PublicBaseUrl.Contains("localhost", StringComparison.OrdinalIgnoreCase))
        {
            output.WriteLine(text["Admin_Link_Localhost", admin.PublicBaseUrl]);
        }
    }

    private static void WriteRows(TextWriter output, IStringLocalizer text, BackupManifest manifest)
    {
        string[] shown = ["Cases", "IntakeSubmissions", "Referrals", "Notifications", "AuditEntries", "AspNetUsers"];
        var rows = shown.Where(manifest.TableRows.ContainsKey).Select(t => $"{t} {manifest.TableRows[t]}").ToList();
        if (rows.Count > 0)
        {
            output.WriteLine(text["Backup_Rows", string.Join(", ", rows)]);
        }
    }

    private static string Megabytes(long bytes) => (bytes / 1024d / 1024d).ToString("0.0", CultureInfo.CurrentCulture);

    private static int Report<T>(ConsoleResult<T> result, TextWriter output, ParseResult parse, IStringLocalizer text, Action<T> done)
    {
        if (result.Refusal is { } key)
        {
            parse.InvocationConfiguration.Error.WriteLine(text[key, result.Arguments]);
            return 2;
        }

        done(result.Value!);
        return 0;
    }

    private static Task AuditAsync(IServiceProvider services, AuditAction action, string detail) =>
        services.GetRequiredService<AuditAppender>().AppendAsync(ConsoleAdministration.Actor, action, "Installation", null, detail);

    private static Task<int> WithAdministrationAsync(ParseResult parse, IStringLocalizer text, Func<ConsoleAdministration, TextWriter, Task<int>> action) =>
        WithPortalAsync(parse, text, (services, output) => action(services.GetRequiredService<ConsoleAdministration>(), output), requireDatabase: true);

    /// <summary>Builds the portal's services (not its web server), runs the action in a scope, and explains refusals.</summary>
    private static async Task<int> WithPortalAsync(ParseResult parse, IStringLocalizer text, Func<IServiceProvider, TextWriter, Task<int>> action, bool requireDatabase)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        WebApplication host;
        try
        {
            host = BuildHost();
        }
        catch (InvalidOperationException ex)
        {
            await error.WriteLineAsync(text["Host_ConfigurationError", ex.Message]);
            return 3;
        }

        await using (host)
        {
            await using var scope = host.Services.CreateAsyncScope();
            try
            {
                if (requireDatabase)
                {
                    await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
                    var location = scope.ServiceProvider.GetRequiredService<PortalDataLocation>().Directory;
                    var settings = scope.ServiceProvider.GetRequiredService<DatabaseSettings>();
                    var missing = !settings.IsPostgres && !File.Exists(BackupSources.From(scope.ServiceProvider).PortalDatabase);
                    if (missing || !await ConsoleAdministration.DatabaseReadyAsync(db))
                    {
                        await error.WriteLineAsync(text["Host_DatabaseNotReady", settings.IsPostgres ? "PostgreSQL" : location]);
                        return 3;
                    }
                }

                return await action(scope.ServiceProvider, output);
            }
            catch (OperationRefusedException refused)
            {
                await error.WriteLineAsync(text[refused.Key, refused.Arguments]);
                return 2;
            }
        }
    }

    private static WebApplication BuildHost()
    {
        var builder = WebApplication.CreateBuilder();
        builder.AddPortalConfiguration();
        builder.AddPortalServices();
        builder.Services.AddScoped<ConsoleAdministration>();
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.AddFilter<ConsoleLoggerProvider>(null, LogLevel.Warning);
        return builder.Build();
    }

    private static IStringLocalizer Localizer() =>
        new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance)
            .Create(typeof(OperationsText));
}
