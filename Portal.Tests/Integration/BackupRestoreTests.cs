using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Audit;
using Portal.Domain.Notifications;
using Portal.Features.Cases;
using Portal.Features.Operations;
using Portal.Features.Shared;
using Portal.Infrastructure.Data;
using Portal.Infrastructure.Security;
using Portal.Tests.TestSupport;

namespace Portal.Tests.Integration;

/// <summary>
/// <c>backup</c> taken from the console while a real portal takes public submissions and staff record case work, then
/// <c>restore</c> into a fresh folder and a second portal started on it: everything acknowledged before the backup began
/// is there and the same, identities decrypt, the audit chain verifies, and no reminder delivered before the backup is
/// sent again. Restore refuses a live or used folder, a wrong passphrase and a damaged backup.
/// </summary>
public sealed class BackupRestoreTests
{
    private const string Passphrase = "a passphrase for the backups, long";
    private const string DocumentText = "a survivor's statement kept as a document";

    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Portal:SeedDemoData"] = "false",
        ["Portal:Jobs:Storage"] = "Sqlite",
        ["Portal:Jobs:WorkerCount"] = "2",
        ["Portal:Jobs:SchedulePollingInterval"] = "00:00:01",
        ["Portal:Jobs:QueuePollInterval"] = "00:00:00.200",
        ["Portal:Reminders:ScanCron"] = "*/2 * * * * *",
        ["Portal:Intake:ProofOfWork:RestBits"] = "4",
        ["Portal:Intake:RateLimits:FormPostsPerWindow"] = "100000",
        ["Portal:Intake:RateLimits:PageViewsPerWindow"] = "100000",
    };

    [Fact]
    public async Task A_backup_taken_while_work_flows_restores_into_a_second_portal_with_everything_acknowledged_before_it()
    {
        using var live = new TempDirectory("portal-backup-live");
        using var backups = new TempDirectory("portal-backup");
        using var restored = new TempDirectory("portal-backup-restored");
        var backup = Path.Combine(backups.Path, "nightly");
        var passphrase = new Dictionary<string, string> { [OperationsCommands.PassphraseVariable] = Passphrase };

        await using var first = await PortalProcess.StartAsync(live.Path, Settings);
        List<(Guid CaseId, string Text)> notesBefore, notesAfter;
        List<(string Text, string Phone)> submissionsBefore, submissionsAfter;
        HashSet<string> deliveredBefore;
        int acknowledgedDuringBackup;
        await using (var world = new ReminderApp(DateTimeOffset.UtcNow, dataDirectory: live.Path))
        {
            // Reminders that fall due at once; the portal delivers them before the backup.
            var advocate = await world.StaffAsync(Roles.Advocate, ["ML"]);
            var cases = new List<Guid>();
            for (var i = 0; i < 4; i++)
            {
                var survivorCase = await world.CaseAsync("ML", advocate.UserId);
                cases.Add(survivorCase.Id);
                await world.FollowUpAsync(survivorCase.Id, DateTime.UtcNow.AddMinutes(-1), urgent: true); // within the scan's overlap
            }

            await Files.WaitForAsync(live.Path, () => Files.Count(Path.Combine(live.Path, "mail-pickup"), "*.eml") >= 4, TimeSpan.FromMinutes(3), () => first.Output);

            // Work that keeps flowing: public submissions over HTTP, notes through the case service.
            using var stop = new CancellationTokenSource();
            var submissions = new ConcurrentQueue<(string Text, string Phone, long Sent, long At)>();
            var notes = new ConcurrentQueue<(Guid CaseId, string Text, long Sent, long At)>();
            var cases1 = ServicesAs.Create<CaseService>(world.Services, new TestCurrentUser(advocate));
            using var progress = new SemaphoreSlim(0);
            // On the thread pool: SQLite's "async" calls complete synchronously, so a loop of them would never yield.
            var submitting = Task.Run(() => SubmitUntilAsync(first.BaseUrl, submissions, progress, stop.Token));
            var noting = Task.Run(() => NoteUntilAsync(cases1, advocate, cases, notes, progress, stop.Token));
            await Until(progress, () => submissions.Count >= 3 && notes.Count >= 3, submitting, noting);

            // What was acknowledged before the backup began, and which deliveries the database had recorded.
            // A stored document, and one still being written (a .part file), which a backup leaves out.
            var documents = Directory.CreateDirectory(Path.Combine(live.Path, "documents", "2026")).FullName;
            await File.WriteAllTextAsync(Path.Combine(documents, "statement.txt"), DocumentText);
            await File.WriteAllTextAsync(Path.Combine(documents, "upload.part"), "half of a document");

            var began = System.Diagnostics.Stopwatch.GetTimestamp();
            submissionsBefore = [.. submissions.Where(s => s.At < began).Select(s => (s.Text, s.Phone))];
            notesBefore = [.. notes.Where(n => n.At < began).Select(n => (n.CaseId, n.Text))];
            deliveredBefore = await DeliveredKeysAsync(live.Path);
            var taken = await PortalCli.RunAsync(live.Path, ["backup", "--to", backup, "--passphrase-from-env"], settings: passphrase);
            var ended = System.Diagnostics.Stopwatch.GetTimestamp();
            await Until(progress, () => submissions.Any(s => s.Sent > ended) && notes.Any(n => n.Sent > ended), submitting, noting);
            await stop.CancelAsync();
            await Task.WhenAll(submitting, noting);

            // Work sent only after the backup had ended cannot be in it: the copy is one moment's.
            submissionsAfter = [.. submissions.Where(s => s.Sent > ended).Select(s => (s.Text, s.Phone))];
            notesAfter = [.. notes.Where(n => n.Sent > ended).Select(n => (n.CaseId, n.Text))];
            Assert.True(taken.ExitCode == 0, taken.ToString());
            Assert.Contains("Encrypted (passphrase).", taken.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(Passphrase, taken.ToString(), StringComparison.Ordinal);
            acknowledgedDuringBackup = submissions.Count(s => s.At > began && s.At < ended) + notes.Count(n => n.At > began && n.At < ended);
        }

        Assert.True(acknowledgedDuringBackup > 0, "no work was acknowledged while the backup ran; the test proves nothing");
        Assert.True(deliveredBefore.Count >= 4, $"{deliveredBefore.Count} e-mails recorded as delivered before the backup");

        // The backup holds no readable file: every file is encrypted and checked by the manifest.
        var manifest = await Portal.Features.Operations.Backup.BackupManifest.ReadAsync(backup);
        Assert.NotNull(manifest);
        Assert.All(manifest.Files, f => Assert.True(File.Exists(Path.Combine(backup, f.Path + ".enc")), f.Path));
        Assert.Equal( // and nothing else: no snapshot's -wal or -shm left beside them
            manifest.Files.Select(f => f.Path + ".enc").Append("manifest.json").Order(StringComparer.Ordinal),
            Directory.EnumerateFiles(backup, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(backup, f).Replace(Path.DirectorySeparatorChar, '/')).Order(StringComparer.Ordinal));
        Assert.Contains(manifest.Files, f => f.Path == "portal.db");
        Assert.Contains(manifest.Files, f => f.Path == "jobs.db");
        Assert.Contains(manifest.Files, f => f.Path.StartsWith("keys/", StringComparison.Ordinal));
        Assert.Contains(manifest.Files, f => f.Path == "documents/2026/statement.txt");
        Assert.DoesNotContain(manifest.Files, f => f.Path.EndsWith(".part", StringComparison.Ordinal));
        Assert.DoesNotContain(Directory.EnumerateFiles(backup, "*", SearchOption.AllDirectories), f =>
            File.ReadAllText(f).Contains("submission of the backup test", StringComparison.Ordinal) || File.ReadAllText(f).Contains(DocumentText, StringComparison.Ordinal));

        // Restore refuses the live folder, a wrong passphrase and a damaged copy, and fills an empty folder.
        var intoLive = await PortalCli.RunAsync(live.Path, ["restore", "--from", backup, "--passphrase-from-env"], settings: passphrase);
        Assert.Equal(2, intoLive.ExitCode);
        Assert.Contains("is not empty", intoLive.Error, StringComparison.Ordinal);
        using (var other = new TempDirectory("portal-backup-wrong"))
        {
            var wrong = await PortalCli.RunAsync(other.Path, ["restore", "--from", backup, "--passphrase-from-env"], settings: new Dictionary<string, string> { [OperationsCommands.PassphraseVariable] = "not the passphrase at all" });
            Assert.Equal(2, wrong.ExitCode);
            Assert.Contains("does not open this backup", wrong.Error, StringComparison.Ordinal);
            Assert.Empty(Directory.EnumerateFileSystemEntries(other.Path));
        }

        using (var damaged = new TempDirectory("portal-backup-damaged"))
        using (var other = new TempDirectory("portal-backup-target"))
        {
            CopyFolder(backup, damaged.Path);
            var file = Path.Combine(damaged.Path, "portal.db.enc");
            var bytes = await File.ReadAllBytesAsync(file);
            bytes[bytes.Length / 2] ^= 0x5A;
            await File.WriteAllBytesAsync(file, bytes);
            var refused = await PortalCli.RunAsync(other.Path, ["restore", "--from", damaged.Path, "--passphrase-from-env"], settings: passphrase);
            Assert.Equal(2, refused.ExitCode);
            Assert.Contains("missing or damaged: portal.db", refused.Error, StringComparison.Ordinal);
            Assert.Empty(Directory.EnumerateFileSystemEntries(other.Path));
        }

        var restore = await PortalCli.RunAsync(restored.Path, ["restore", "--from", backup, "--passphrase-from-env"], settings: passphrase);
        Assert.True(restore.ExitCode == 0, restore.ToString());
        var again = await PortalCli.RunAsync(restored.Path, ["restore", "--from", backup, "--passphrase-from-env"], settings: passphrase);
        Assert.Equal(2, again.ExitCode);

        Assert.Equal(DocumentText, await File.ReadAllTextAsync(Path.Combine(restored.Path, "documents", "2026", "statement.txt")));
        Assert.False(File.Exists(Path.Combine(restored.Path, "documents", "2026", "upload.part")));

        // The restored database holds what the manifest says, row for row (the restore's own audit entry aside).
        var rows = await RowsAsync(restored.Path);
        foreach (var (table, count) in manifest.TableRows)
        {
            Assert.True(rows[table] == count + (table == "AuditEntries" ? 1 : 0), $"{table}: {rows[table]} restored, {count} in the manifest");
        }

        // A second portal on the restored folder.
        await using var second = await PortalProcess.StartAsync(restored.Path, Settings);
        await using var view = new ReminderApp(DateTimeOffset.UtcNow, dataDirectory: restored.Path);
        await using var db = view.NewContext();

        var restoredSubmissions = await db.IntakeSubmissions.AsNoTracking()
            .Join(db.IdentityRecords.AsNoTracking(), s => s.CaseId, i => i.CaseId, (s, i) => new { s.WhatHappened, i.Phone })
            .ToListAsync();
        var phones = restoredSubmissions.ToDictionary(s => s.WhatHappened, s => s.Phone, StringComparer.Ordinal);
        var acknowledgedTexts = submissionsBefore.Select(s => s.Text).ToHashSet(StringComparer.Ordinal);
        var restoredBefore = restoredSubmissions.Where(s => acknowledgedTexts.Contains(s.WhatHappened)).Select(s => s.WhatHappened + "|" + s.Phone).ToList();
        Assert.Equal(submissionsBefore.Count, restoredBefore.Count);
        Assert.Equal(Checksum(submissionsBefore.Select(s => s.Text + "|" + s.Phone)), Checksum(restoredBefore)); // the phone decrypted with the restored key ring
        Assert.DoesNotContain(submissionsAfter, s => phones.ContainsKey(s.Text));

        var restoredNotes = (await db.Notes.AsNoTracking().Select(n => new { n.CaseId, n.Text }).ToListAsync()).Select(n => (n.CaseId, n.Text)).ToList();
        var notesBeforeSet = notesBefore.ToHashSet();
        Assert.Equal(Checksum(notesBefore.Select(n => $"{n.CaseId}|{n.Text}")), Checksum(restoredNotes.Where(notesBeforeSet.Contains).Select(n => $"{n.CaseId}|{n.Text}")));
        Assert.DoesNotContain(notesAfter, restoredNotes.Contains);

        // The identities are stored encrypted: the phone numbers are not in the restored file's bytes, only in what the
        // restored key ring decrypts.
        var restoredBytes = await File.ReadAllBytesAsync(Path.Combine(restored.Path, "portal.db"));
        Assert.DoesNotContain(submissionsBefore, s => restoredBytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(phones[s.Text]!)) >= 0);

        // The audit chain verifies, the restore itself included.
        var audit = await db.Set<AuditEntry>().AsNoTracking().OrderBy(e => e.Id).ToListAsync();
        Assert.True(AuditChain.Verify(audit, null).IsIntact);
        Assert.Equal(AuditAction.BackupRestored, audit.Last(e => e.UserName == ConsoleAdministration.Actor.UserName).Action);

        // No reminder delivered before the backup goes out again from the second portal. Its scan runs: a reminder that
        // falls due now reaches its pickup folder, and that is the signal to look.
        var advocateId = await db.Users.Where(u => u.Countries.Contains("ML")).Select(u => u.Id).FirstAsync();
        var newCase = await view.CaseAsync("ML", advocateId);
        var fresh = await view.FollowUpAsync(newCase.Id, DateTime.UtcNow.AddMinutes(-1), urgent: true);
        var pickup = Path.Combine(restored.Path, "mail-pickup");
        await Files.WaitForAsync(restored.Path, () => SubjectDelivered(restored.Path, fresh.Id), TimeSpan.FromMinutes(3), () => second.Output);
        var sentAgain = Directory.EnumerateFiles(pickup, "*.eml").Select(Path.GetFileNameWithoutExtension).Where(k => deliveredBefore.Contains(k!)).ToList();
        Assert.Empty(sentAgain);
        Assert.DoesNotContain(Passphrase, first.Output + second.Output + restore.ToString(), StringComparison.Ordinal);
    }

    private static async Task SubmitUntilAsync(string baseUrl, ConcurrentQueue<(string Text, string Phone, long Sent, long At)> acknowledged, SemaphoreSlim progress, CancellationToken stop)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = new Uri(baseUrl) };
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var text = $"submission of the backup test {i} {Guid.NewGuid():N}";
            // Typed as the portal stores it (libphonenumber's international format), so the restored value compares as typed.
            var phone = $"+236 70 {i / 10000 % 100:D2} {i / 100 % 100:D2} {i % 100:D2}";
            var form = await PublicForm.LoadAsync(client, "/help");
            var sent = System.Diagnostics.Stopwatch.GetTimestamp();
            form.Solve().With("Form.Account", text).With("Form.Medical", "True").With("Form.Country", "CF").With("Form.Phone", phone).With("Form.ChildBorn", "No");
            using var posted = await form.PostAsync(client);
            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
            acknowledged.Enqueue((text, phone, sent, System.Diagnostics.Stopwatch.GetTimestamp()));
            progress.Release();
        }
    }

    private static async Task NoteUntilAsync(CaseService service, UserScope advocate, List<Guid> cases, ConcurrentQueue<(Guid CaseId, string Text, long Sent, long At)> acknowledged, SemaphoreSlim progress, CancellationToken stop)
    {
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var caseId = cases[i % cases.Count];
            var text = $"note {i} written while the backup ran";
            var sent = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                Assert.Equal(CommandOutcome.Done, (await service.AddNoteAsync(advocate, caseId, text, stop)).Outcome);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return; // the note in flight when the test stopped was never acknowledged, so nothing is expected of it
            }

            acknowledged.Enqueue((caseId, text, sent, System.Diagnostics.Stopwatch.GetTimestamp()));
            progress.Release();
        }
    }

    /// <summary>Waits for the workers' progress (each acknowledgment signals) until the condition holds; a worker that fails ends the test.</summary>
    private static async Task Until(SemaphoreSlim progress, Func<bool> condition, params Task[] workers)
    {
        while (!condition())
        {
            var finished = await Task.WhenAny(progress.WaitAsync(), Task.WhenAny(workers));
            if (workers.FirstOrDefault(w => w.IsCompleted) is { } stopped)
            {
                await stopped;
                throw new InvalidOperationException("A worker stopped before the test told it to.");
            }

            await finished;
        }
    }

    private static async Task<HashSet<string>> DeliveredKeysAsync(string dataDirectory)
    {
        await using var connection = Open(dataDirectory);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT DeliveryKey FROM Notifications WHERE Status = 'Delivered' AND Channel = 'Email'";
        await using var reader = await command.ExecuteReaderAsync();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    private static bool SubjectDelivered(string dataDirectory, Guid followUpId)
    {
        using var connection = Open(dataDirectory);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM Notifications WHERE Status = 'Delivered' AND Channel = 'Email' AND SubjectId = $id";
        command.Parameters.AddWithValue("$id", followUpId.ToString().ToUpperInvariant());
        return (long)command.ExecuteScalar()! > 0;
    }

    private static async Task<Dictionary<string, long>> RowsAsync(string dataDirectory)
    {
        var (rows, _) = await Portal.Features.Operations.Backup.SqliteSnapshot.DescribeAsync(Path.Combine(dataDirectory, "portal.db"), CancellationToken.None);
        return new Dictionary<string, long>(rows);
    }

    private static SqliteConnection Open(string dataDirectory)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, "portal.db"), Mode = SqliteOpenMode.ReadOnly, Pooling = false, DefaultTimeout = 30 }.ToString());
        connection.Open();
        return connection;
    }

    private static string Checksum(IEnumerable<string> lines) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", lines.Order(StringComparer.Ordinal)))));

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
