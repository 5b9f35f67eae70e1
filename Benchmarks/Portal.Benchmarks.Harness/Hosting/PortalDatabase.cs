using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Portal.Benchmarks.Hosting;

/// <summary>What a bulk load wrote.</summary>
public sealed record BulkLoadResult(long Cases, long Referrals, long FollowUps, TimeSpan Elapsed, long FileBytes, long Children = 0, long PaternityClaims = 0);

/// <summary>
/// Writes benchmark data straight into the portal's SQLite file (<c>portal.db</c> in its data folder) while the
/// portal is stopped: plain multi-row <c>INSERT ... SELECT</c> from a generated sequence, in one transaction,
/// deterministic (every value is a function of the row number). The portal's migration made the schema; the
/// loader names every column it fills and refuses to run when a table gained a required column it does not
/// know, instead of writing rows the portal cannot read.
/// <para>
/// Loaded rows carry what the queues and the dashboard read (the case row with its allegation, referrals,
/// follow-ups, children born of SEA and their paternity claims); the bulk-loaded cases have no status history,
/// consents or identity record, and the claims no status history. The unclaimed intakes for the live-update rounds do
/// get their first status-history row, so a claim goes through the domain exactly as for a real intake.
/// </para>
/// </summary>
public static class PortalDatabase
{
    public const string CreatedBy = "system:benchmark-load";

    // Ids are deterministic and never collide with the portal's own (random version-7) ids: a fixed prefix per
    // kind of row and load, then the row number in hex.
    private const string CaseIdPrefix = "BE0C";

    public static string FileIn(string dataDirectory) => Path.Combine(dataDirectory, "portal.db");

    /// <summary>
    /// Adds <paramref name="count"/> unclaimed high-risk intakes in one country, opened before anything the demo data holds
    /// (from 2019-01-01, a minute apart), so they head the "New intakes" queue in its default order (highest risk, then
    /// the longest waiting).
    /// Numbers are {CC}-2019-2nnnnn, far from the demo data's and the allocator's sequences.
    /// </summary>
    public static async Task AddUnclaimedIntakesAsync(string dataDirectory, string countryCode, int count, int batch = 1)
    {
        await using var connection = await OpenAsync(dataDirectory);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        await CheckColumnsAsync(connection, transaction);
        await ExecuteAsync(connection, transaction, $"""
            CREATE TEMP TABLE bench_case AS
            WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < $count)
            SELECT n,
                   printf('{CaseIdPrefix}%04X-0000-4000-8000-%012X', 256 + $batch, n) AS Id,
                   $country AS CountryCode,
                   $country || '-2019-' || (200000 + $batch * 10000 + n) AS Number,
                   'Intake' AS Status,
                   'High' AS RiskLevel,
                   NULL AS AssignedAdvocateId,
                   datetime('2019-01-01 00:00:00', '+' || ($batch * 100000 + n) || ' minutes') AS OpenedAtUtc
            FROM seq;
            """, ("$count", count), ("$country", countryCode), ("$batch", batch));
        await ExecuteAsync(connection, transaction, InsertCasesSql);
        await ExecuteAsync(connection, transaction, """
            INSERT INTO CaseStatusChanges (Sequence, CaseId, "From", "To", ByUserId, AtUtc, Comment, ClosureReason)
            SELECT 1, Id, NULL, 'Intake', NULL, OpenedAtUtc, NULL, NULL FROM bench_case;
            DROP TABLE bench_case;
            """);
        await transaction.CommitAsync();
    }

    /// <summary>
    /// Loads <paramref name="cases"/> cases spread over the countries in the file (CD 30%, CF 25%, SS 15%, HT 10%,
    /// the rest shared), opened evenly from 2016 to now (older ones mostly closed, the newest 0.5% still intakes),
    /// risk High 20% / Medium 40% / Low 40%, assigned to the advocates of their country (5% of open cases
    /// released back to the queue; countries without an advocate account get a stand-in id), with
    /// <paramref name="referralsPerCase"/> referrals each (every type, statuses matching the case) and two
    /// follow-ups per open case (one done, one open or snoozed, due within 30 days either side of now). 85% of cases
    /// carry an allegation (reported up to a month before the case opened; peacekeeping 55%, special political
    /// missions 5%, agencies 25%, partners 10%, non-UN forces 5%); 4% record a child born of SEA (a child row), and
    /// half of those children a paternity claim (final statuses for closed cases, under way otherwise, some with no
    /// movement for longer than the stale threshold). Indexes of the loaded tables are dropped for the load and rebuilt afterwards.
    /// </summary>
    /// <param name="exclusive">
    /// Nobody else has the file open (the portal is stopped): the load then runs without rollback journal or fsync.
    /// False (a test's database, still open in the app) keeps the file's WAL journal.
    /// </param>
    public static async Task<BulkLoadResult> BulkLoadAsync(string dataDirectory, int cases, int referralsPerCase, Action<string> log, DateTime? nowUtc = null, bool exclusive = true)
    {
        var watch = Stopwatch.StartNew();
        var now = nowUtc ?? DateTime.UtcNow;
        var start = new DateTime(2016, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var spacingSeconds = Math.Max(1, (long)((now - start).TotalSeconds / Math.Max(1, cases)));

        await using var connection = await OpenAsync(dataDirectory);
        // A bulk load of a file nobody else has open: no rollback journal, no fsync; the file is rebuilt if it fails.
        var journal = await ScalarAsync(connection, null, "PRAGMA journal_mode;");
        if (exclusive)
        {
            await ExecuteAsync(connection, null, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;");
        }

        await ExecuteAsync(connection, null, "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -262144;");
        await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync())
        {
            await CheckColumnsAsync(connection, transaction);
            // The triggers too: those that keep the cases' sort keys look follow-ups up by case, one row at a time, in
            // indexes that are gone during the load. They are run once for every loaded row afterwards.
            var indexes = new List<(string Type, string Name, string Sql)>();
            await using (var read = connection.CreateCommand())
            {
                read.Transaction = transaction;
                read.CommandText = "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL AND tbl_name IN ('Cases', 'Referrals', 'FollowUps', 'Children', 'PaternityClaims') ORDER BY type;";
                await using var reader = await read.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    indexes.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
                }
            }

            foreach (var (type, name, _) in indexes)
            {
                await ExecuteAsync(connection, transaction, $"DROP {type.ToUpperInvariant()} \"{name}\";");
            }

            await ExecuteAsync(connection, transaction, """
                CREATE TEMP TABLE bench_weight(Code TEXT PRIMARY KEY, Weight INTEGER);
                INSERT INTO bench_weight SELECT Code, CASE Code WHEN 'CD' THEN 30 WHEN 'CF' THEN 25 WHEN 'SS' THEN 15 WHEN 'HT' THEN 10 ELSE 0 END FROM Countries;
                UPDATE bench_weight SET Weight = max(1, (100 - (SELECT sum(Weight) FROM bench_weight)) / max(1, (SELECT count(*) FROM bench_weight WHERE Weight = 0))) WHERE Weight = 0;
                CREATE TEMP TABLE bench_country AS
                SELECT Code, (SELECT coalesce(sum(w2.Weight), 0) FROM bench_weight w2 WHERE w2.Code < w.Code) AS lo,
                             (SELECT sum(w2.Weight) FROM bench_weight w2 WHERE w2.Code <= w.Code) - 1 AS hi
                FROM bench_weight w;
                CREATE TEMP TABLE bench_advocate AS
                SELECT j.value AS CountryCode, u.Id AS UserId, row_number() OVER (PARTITION BY j.value ORDER BY u.UserName) - 1 AS k
                FROM AspNetUsers u
                JOIN AspNetUserRoles ur ON ur.UserId = u.Id
                JOIN AspNetRoles r ON r.Id = ur.RoleId AND r.Name = 'Advocate', json_each(u.Countries) j
                WHERE u.IsDisabled = 0;
                CREATE TEMP TABLE bench_advocate_count AS SELECT CountryCode, count(*) AS c FROM bench_advocate GROUP BY CountryCode;
                """);
            var total = await ScalarAsync(connection, transaction, "SELECT sum(Weight) FROM bench_weight;");
            var cumulative = Convert.ToInt64(total, CultureInfo.InvariantCulture);

            log($"bulk load: generating {cases:N0} cases");
            await ExecuteAsync(connection, transaction, $"""
                CREATE TEMP TABLE bench_seq AS
                WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < $count)
                SELECT n,
                       (SELECT Code FROM bench_country WHERE (n * 2654435761) % $weights BETWEEN lo AND hi) AS CountryCode,
                       (n * 40503 + 7) % 100 AS s,
                       (n * 22695477 + 1) % 100 AS r,
                       (n * 1103515245 + 12345) % 100 AS a,
                       n * 1.0 / $count AS f,
                       datetime($start, '+' || (n * $spacing) || ' seconds') AS OpenedAtUtc
                FROM seq;
                CREATE TEMP TABLE bench_status AS
                SELECT n, CountryCode, r, a, OpenedAtUtc,
                       CASE
                         WHEN f >= 0.995 THEN CASE WHEN s < 40 THEN 'Intake' WHEN s < 70 THEN 'Assessment' WHEN s < 90 THEN 'ActionPlan' ELSE 'Assistance' END
                         WHEN f >= 0.8 THEN CASE WHEN s < 40 THEN 'Closed' WHEN s < 45 THEN 'ClosureRequested' WHEN s < 65 THEN 'FollowUp'
                                                 WHEN s < 85 THEN 'Assistance' WHEN s < 95 THEN 'ActionPlan' ELSE 'Assessment' END
                         ELSE CASE WHEN s < 97 THEN 'Closed' WHEN s < 99 THEN 'FollowUp' ELSE 'ClosureRequested' END
                       END AS Status
                FROM bench_seq;
                CREATE TEMP TABLE bench_case AS
                SELECT b.n,
                       printf('{CaseIdPrefix}0001-0000-4000-8000-%012X', b.n) AS Id,
                       b.CountryCode,
                       b.CountryCode || '-' || substr(b.OpenedAtUtc, 1, 4) || '-'
                         || (100000 + row_number() OVER (PARTITION BY b.CountryCode, substr(b.OpenedAtUtc, 1, 4) ORDER BY b.n)) AS Number,
                       b.Status,
                       CASE WHEN b.r < 20 THEN 'High' WHEN b.r < 60 THEN 'Medium' ELSE 'Low' END AS RiskLevel,
                       CASE
                         WHEN b.Status = 'Intake' OR (b.Status <> 'Closed' AND b.a < 5) THEN NULL
                         WHEN ac.c IS NULL THEN 'benchmark-focal-point-' || b.CountryCode
                         ELSE (SELECT UserId FROM bench_advocate ad WHERE ad.CountryCode = b.CountryCode AND ad.k = b.n % ac.c)
                       END AS AssignedAdvocateId,
                       b.OpenedAtUtc
                FROM bench_status b LEFT JOIN bench_advocate_count ac ON ac.CountryCode = b.CountryCode;
                DROP TABLE bench_seq;
                DROP TABLE bench_status;
                """, ("$count", cases), ("$weights", cumulative), ("$start", Format(start)), ("$spacing", spacingSeconds));
            await ExecuteAsync(connection, transaction, InsertCasesSql);
            log($"bulk load: cases written ({watch.Elapsed.TotalSeconds:0} s)");

            if (referralsPerCase > 0)
            {
                await ExecuteAsync(connection, transaction, $"""
                    CREATE TEMP TABLE bench_provider AS SELECT CountryCode, min(Id) AS ProviderId FROM ServiceProviders GROUP BY CountryCode;
                    INSERT INTO ServiceProviders (Id, CountryCode, Name, ServicesOffered, Languages, Contact, IsActive, AnswersInPortal, Version, CreatedAtUtc, CreatedBy, ChangedAtUtc, ChangedBy)
                    SELECT printf('{CaseIdPrefix}0005-0000-4000-8000-%012X', rowid), Code, 'Benchmark provider ' || Code,
                           '["Medical","Psychosocial","Legal","PaternityAndChildSupport","SkillsTrainingOrLivelihood","Education","MaterialAssistance","SafetyAndProtection"]',
                           '["en","fr"]', NULL, 1, 0, printf('{CaseIdPrefix}0009-0000-4000-8000-%012X', rowid), $now, '{CreatedBy}', NULL, NULL
                    FROM Countries WHERE Code NOT IN (SELECT CountryCode FROM bench_provider);
                    INSERT INTO bench_provider SELECT CountryCode, Id FROM ServiceProviders WHERE CreatedBy = '{CreatedBy}' AND CountryCode NOT IN (SELECT CountryCode FROM bench_provider);
                    """, ("$now", Format(now)));
                log($"bulk load: generating {(long)cases * referralsPerCase:N0} referrals");
                await ExecuteAsync(connection, transaction, $"""
                    WITH RECURSIVE k(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM k WHERE k < $perCase),
                    r AS (
                      SELECT c.n, k.k, c.Id AS CaseId, c.Number, c.CountryCode, c.Status AS CaseStatus, c.AssignedAdvocateId, c.OpenedAtUtc,
                             CASE WHEN c.Status = 'Closed'
                                  THEN CASE WHEN (c.n + k.k) % 20 < 14 THEN 'Completed' WHEN (c.n + k.k) % 20 < 17 THEN 'Declined' ELSE 'Withdrawn' END
                                  ELSE CASE WHEN (c.n * 7 + k.k) % 10 < 1 THEN 'Draft' WHEN (c.n * 7 + k.k) % 10 < 5 THEN 'Sent'
                                            WHEN (c.n * 7 + k.k) % 10 < 9 THEN 'Accepted' ELSE 'Completed' END
                             END AS Status
                      FROM bench_case c CROSS JOIN k
                    )
                    INSERT INTO Referrals (Id, CaseId, CaseNumber, CountryCode, Type, ProviderId, Reason, Urgency, Status, DeclineReason, Outcome, OutcomeComment,
                                           WithdrawReason, SentAtUtc, SentBy, AcceptanceDueAtUtc, AcceptedAtUtc, DeclinedAtUtc, CompletedAtUtc, WithdrawnAtUtc,
                                           ConsentOverride_ByUserId, ConsentOverride_Reason, ConsentOverride_AtUtc, ConsentOverride_MissingConsent,
                                           Version, CreatedAtUtc, CreatedBy, ChangedAtUtc, ChangedBy)
                    SELECT printf('{CaseIdPrefix}0003-0000-4000-8%03X-%012X', r.k, r.n), r.CaseId, r.Number, r.CountryCode,
                           CASE (r.n + r.k * 3) % 8 WHEN 0 THEN 'Medical' WHEN 1 THEN 'Psychosocial' WHEN 2 THEN 'Legal' WHEN 3 THEN 'PaternityAndChildSupport'
                                WHEN 4 THEN 'SkillsTrainingOrLivelihood' WHEN 5 THEN 'Education' WHEN 6 THEN 'MaterialAssistance' ELSE 'SafetyAndProtection' END,
                           p.ProviderId, 'Benchmark referral.', CASE WHEN r.n % 5 = 0 THEN 'Urgent' ELSE 'Routine' END, r.Status,
                           CASE WHEN r.Status = 'Declined' THEN 'Benchmark: no capacity.' END,
                           CASE WHEN r.Status = 'Completed' THEN 'ServiceProvided' END, NULL,
                           CASE WHEN r.Status = 'Withdrawn' THEN 'Benchmark: no longer needed.' END,
                           CASE WHEN r.Status <> 'Draft' THEN datetime(r.OpenedAtUtc, '+1 day') END,
                           CASE WHEN r.Status <> 'Draft' THEN coalesce(r.AssignedAdvocateId, '{CreatedBy}') END,
                           CASE WHEN r.Status <> 'Draft' THEN datetime(r.OpenedAtUtc, '+4 days') END,
                           CASE WHEN r.Status IN ('Accepted', 'Completed') THEN datetime(r.OpenedAtUtc, '+2 days') END,
                           CASE WHEN r.Status = 'Declined' THEN datetime(r.OpenedAtUtc, '+2 days') END,
                           CASE WHEN r.Status = 'Completed' THEN datetime(r.OpenedAtUtc, '+20 days') END,
                           CASE WHEN r.Status = 'Withdrawn' THEN datetime(r.OpenedAtUtc, '+3 days') END,
                           NULL, NULL, NULL, NULL,
                           printf('{CaseIdPrefix}0004-0000-4000-8%03X-%012X', r.k, r.n), r.OpenedAtUtc, '{CreatedBy}', NULL, NULL
                    FROM r JOIN bench_provider p ON p.CountryCode = r.CountryCode;
                    """, ("$perCase", referralsPerCase));
                log($"bulk load: referrals written ({watch.Elapsed.TotalSeconds:0} s)");
            }

            await ExecuteAsync(connection, transaction, $"""
                WITH k(k) AS (VALUES (1), (2))
                INSERT INTO FollowUps (Id, CaseId, ReferralId, Kind, Title, DueAtUtc, IsUrgent, Source, Status, SnoozedUntilUtc, SnoozeReason, SnoozedBy,
                                       DoneAtUtc, DoneBy, DoneNote, CancelledAtUtc, CancelledBy, CancelReason, Version, CreatedAtUtc, CreatedBy, ChangedAtUtc, ChangedBy,
                                       CountryCode)
                SELECT printf('{CaseIdPrefix}0006-0000-4000-8%03X-%012X', k.k, c.n), c.Id, NULL, 'General', 'Benchmark check-in',
                       CASE k.k WHEN 1 THEN datetime($now, ((c.n * 13) % 61 - 30) || ' days') ELSE datetime(c.OpenedAtUtc, '+14 days') END,
                       CASE WHEN c.n % 7 = 0 THEN 1 ELSE 0 END, 'Manual',
                       CASE WHEN k.k = 2 THEN 'Done' WHEN c.n % 10 = 0 THEN 'Snoozed' ELSE 'Open' END,
                       CASE WHEN k.k = 1 AND c.n % 10 = 0 THEN datetime($now, ((c.n * 13) % 61 - 27) || ' days') END,
                       CASE WHEN k.k = 1 AND c.n % 10 = 0 THEN 'Benchmark: the person asked to wait.' END,
                       CASE WHEN k.k = 1 AND c.n % 10 = 0 THEN coalesce(c.AssignedAdvocateId, '{CreatedBy}') END,
                       CASE WHEN k.k = 2 THEN datetime(c.OpenedAtUtc, '+14 days') END,
                       CASE WHEN k.k = 2 THEN coalesce(c.AssignedAdvocateId, '{CreatedBy}') END,
                       NULL, NULL, NULL, NULL, printf('{CaseIdPrefix}000A-0000-4000-8%03X-%012X', k.k, c.n), c.OpenedAtUtc, '{CreatedBy}', NULL, NULL,
                       c.CountryCode
                FROM bench_case c CROSS JOIN k
                WHERE c.Status <> 'Closed';
                """, ("$now", Format(now)));
            log($"bulk load: follow-ups written ({watch.Elapsed.TotalSeconds:0} s)");

            // Children born of SEA (the cases whose profile says so) and, for half of them, a paternity claim.
            await ExecuteAsync(connection, transaction, $"""
                INSERT INTO Children (Id, CaseId, Pseudonym, DateOfBirth, BirthYear, Sex, Needs, IsExpected, Version, CreatedAtUtc, CreatedBy, ChangedAtUtc, ChangedBy, CountryCode)
                SELECT printf('{CaseIdPrefix}0007-0000-4000-8000-%012X', c.n), c.Id, 'Child ' || c.n, NULL,
                       min(CAST(substr(c.OpenedAtUtc, 1, 4) AS INTEGER) + (c.n % 3) - 1, CAST(substr($now, 1, 4) AS INTEGER)),
                       CASE WHEN c.n % 2 = 0 THEN 'Female' ELSE 'Male' END, NULL, 0, printf('{CaseIdPrefix}000B-0000-4000-8000-%012X', c.n), c.OpenedAtUtc, '{CreatedBy}', NULL, NULL,
                       c.CountryCode
                FROM bench_case c
                WHERE {ChildBornOfSea};
                INSERT INTO PaternityClaims (Id, ChildId, CaseId, MemberStateCode, Jurisdictions, Status, LegalAidReferralId, OpenedAtUtc, LastMovementAtUtc,
                                             Version, CreatedAtUtc, CreatedBy, ChangedAtUtc, ChangedBy, CountryCode)
                SELECT printf('{CaseIdPrefix}0008-0000-4000-8000-%012X', x.n), printf('{CaseIdPrefix}0007-0000-4000-8000-%012X', x.n), x.Id,
                       CASE x.n % 3 WHEN 0 THEN 'NPL' WHEN 1 THEN 'BGD' ELSE 'URY' END, '["' || x.CountryCode || '","Member State courts"]',
                       x.ClaimStatus, NULL, x.ClaimOpened,
                       CASE WHEN x.ClaimStatus IN ('PaternityEstablished', 'ChildSupportOrdered', 'NotEstablished', 'ClosedUnresolved')
                            THEN min(datetime(x.ClaimOpened, '+' || (200 + x.n % 300) || ' days'), $now)
                            ELSE min(datetime(x.ClaimOpened, '+' || (x.n % 900) || ' days'), $now) END,
                       printf('{CaseIdPrefix}000C-0000-4000-8000-%012X', x.n), x.ClaimOpened, '{CreatedBy}', NULL, NULL, x.CountryCode
                FROM (
                  SELECT c.n, c.Id, c.CountryCode, min(datetime(c.OpenedAtUtc, '+90 days'), $now) AS ClaimOpened,
                         CASE WHEN c.Status = 'Closed'
                              THEN CASE (c.n / 50) % 4 WHEN 0 THEN 'PaternityEstablished' WHEN 1 THEN 'ChildSupportOrdered' WHEN 2 THEN 'NotEstablished' ELSE 'ClosedUnresolved' END
                              ELSE CASE (c.n / 50) % 5 WHEN 0 THEN 'Intake' WHEN 1 THEN 'DnaSampleRequested' WHEN 2 THEN 'DnaSampleCollected'
                                                       WHEN 3 THEN 'SubmittedToMemberState' ELSE 'UnderReviewByMemberState' END
                         END AS ClaimStatus
                  FROM bench_case c
                  WHERE {ChildBornOfSea} AND c.n % 50 = 3
                ) x;
                """, ("$now", Format(now)));
            log($"bulk load: children and paternity claims written ({watch.Elapsed.TotalSeconds:0} s); rebuilding {indexes.Count} indexes and triggers");

            foreach (var (_, _, sql) in indexes)
            {
                await ExecuteAsync(connection, transaction, sql + ";");
            }

            log($"bulk load: indexes rebuilt ({watch.Elapsed.TotalSeconds:0} s); setting the cases' sort keys and search");
            await ExecuteAsync(connection, transaction, $"""
                UPDATE Cases SET AssignedAdvocateId = AssignedAdvocateId WHERE CreatedBy = '{CreatedBy}' AND AssignedAdvocateId IS NOT NULL;
                -- Fires the follow-ups' triggers: the cases' next-due and overdue-from keys (CaseSortKeys, CaseOverdueKey).
                UPDATE FollowUps SET Status = Status WHERE CreatedBy = '{CreatedBy}';
                UPDATE Cases SET ReferralTypes = (SELECT coalesce(sum(DISTINCT {ReferralTypeBit}), 0) FROM Referrals r WHERE r.CaseId = Cases.Id)
                WHERE CreatedBy = '{CreatedBy}';
                -- The allegation counts (the portal's AllegationYearCounts) its dropped triggers would have kept.
                DELETE FROM AllegationYearCounts;
                INSERT INTO AllegationYearCounts (CountryCode, Year, EntityType, Count)
                SELECT CountryCode, CAST(substr(Allegation_DateReported, 1, 4) AS INTEGER), coalesce(Allegation_EntityType, ''), count(*)
                FROM Cases WHERE Allegation_DateReported IS NOT NULL GROUP BY 1, 2, 3;
                """);

            // Its insert trigger was dropped with the others: the loaded cases' numbers are indexed for search here.
            await ExecuteAsync(connection, transaction, $"""
                INSERT INTO CaseNumberSearch (Number, CaseId) SELECT Number, Id FROM Cases WHERE CreatedBy = '{CreatedBy}';
                """);

            await ExecuteAsync(connection, transaction, "DROP TABLE bench_case; DROP TABLE bench_advocate; DROP TABLE bench_advocate_count; DROP TABLE bench_country; DROP TABLE bench_weight; DROP TABLE IF EXISTS bench_provider;");
            await transaction.CommitAsync();
        }

        if (exclusive)
        {
            await ExecuteAsync(connection, null, $"PRAGMA journal_mode = {journal};");
        }

        var tables = new[] { "Cases", "Referrals", "FollowUps", "Children", "PaternityClaims" };
        var counts = new long[tables.Length];
        for (var i = 0; i < tables.Length; i++)
        {
            counts[i] = Convert.ToInt64(await ScalarAsync(connection, null, $"SELECT count(*) FROM {tables[i]} WHERE CreatedBy = '{CreatedBy}';"), CultureInfo.InvariantCulture);
        }

        await connection.CloseAsync();
        SqliteConnection.ClearPool(connection);
        return new BulkLoadResult(counts[0], counts[1], counts[2], watch.Elapsed, new FileInfo(FileIn(dataDirectory)).Length, counts[3], counts[4]);
    }

    /// <summary>
    /// Makes exactly <paramref name="due"/> referrals fall due for acceptance in (<paramref name="fromUtc"/>, <paramref name="toUtc"/>],
    /// spread evenly: sent referrals of bulk-loaded open cases whose advocate is an active account (so each is one reminder
    /// to one advocate, in-app and by e-mail). Returns how many it moved (fewer when the file has fewer candidates).
    /// Load with <c>nowUtc</c> well before <paramref name="fromUtc"/> (45 days does) so no other deadline of the loaded
    /// data, nor its escalation, falls in that window.
    /// </summary>
    public static async Task<int> ArrangeDueReferralsAsync(string dataDirectory, int due, DateTime fromUtc, DateTime toUtc)
    {
        await using var connection = await OpenAsync(dataDirectory);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        var span = Math.Max(1, (long)(toUtc - fromUtc).TotalSeconds);
        await ExecuteAsync(connection, transaction, $"""
            CREATE TEMP TABLE bench_due AS
            SELECT Id, row_number() OVER (ORDER BY Id) AS k FROM (
              SELECT r.Id FROM Referrals r JOIN Cases c ON c.Id = r.CaseId
              WHERE r.Status = 'Sent' AND r.CreatedBy = '{CreatedBy}' AND c.Status <> 'Closed'
                AND c.AssignedAdvocateId IN (SELECT u.Id FROM AspNetUsers u WHERE u.IsDisabled = 0)
              ORDER BY r.Id LIMIT $due);
            UPDATE Referrals
            SET AcceptanceDueAtUtc = (SELECT datetime($from, '+' || ((d.k * $span) / ($due + 1) + 1) || ' seconds') FROM bench_due d WHERE d.Id = Referrals.Id)
            WHERE Id IN (SELECT Id FROM bench_due);
            """, ("$due", due), ("$from", Format(fromUtc)), ("$span", span - 1));
        var moved = Convert.ToInt32(await ScalarAsync(connection, transaction, "SELECT count(*) FROM bench_due;"), CultureInfo.InvariantCulture);
        await ExecuteAsync(connection, transaction, "DROP TABLE bench_due;");
        await transaction.CommitAsync();
        await connection.CloseAsync();
        SqliteConnection.ClearPool(connection);
        return moved;
    }

    /// <summary>
    /// Gives one open case in <paramref name="country"/> of <paramref name="advocateEmail"/>, opened in the last 300 days
    /// and already holding a bulk-loaded referral, <paramref name="count"/> more referrals of that referral's type and
    /// provider, sent the day before <paramref name="nowUtc"/> and unanswered: a benchmark accepts them one by one on the
    /// case page. Returns the case number. The case has no other referral awaiting an answer: the page's first "accept"
    /// could otherwise be a loaded referral sent before the dashboard's period, whose acceptance rightly moves no figure.
    /// </summary>
    public static async Task<string> ArrangeReferralsToAcceptAsync(string dataDirectory, string advocateEmail, string country, int count, DateTime nowUtc)
    {
        await using var connection = await OpenAsync(dataDirectory);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        var number = (string?)await ScalarAsync(connection, transaction, $"""
            SELECT c.Number FROM Cases c JOIN AspNetUsers u ON u.Id = c.AssignedAdvocateId
            WHERE upper(u.Email) = upper($email) AND c.CountryCode = $country AND c.Status IN ('ActionPlan', 'Assistance', 'FollowUp')
              AND c.OpenedAtUtc >= $since AND c.CreatedBy = '{CreatedBy}' AND EXISTS (SELECT 1 FROM Referrals r WHERE r.CaseId = c.Id)
              AND NOT EXISTS (SELECT 1 FROM Referrals r WHERE r.CaseId = c.Id AND r.Status = 'Sent')
            ORDER BY c.OpenedAtUtc DESC LIMIT 1;
            """, ("$email", advocateEmail), ("$country", country), ("$since", Format(nowUtc.AddDays(-300))))
            ?? throw new InvalidOperationException($"The loaded file has no open {country} case of {advocateEmail} opened in the last 300 days with a referral.");
        for (var i = 0; i < count; i++)
        {
            // Fresh ids (upper-case text, as EF stores a Guid here), so a kept file can be arranged again.
            await ExecuteAsync(connection, transaction, $"""
                INSERT INTO Referrals ({string.Join(", ", KnownColumns["Referrals"])})
                SELECT $id, r.CaseId, r.CaseNumber, r.CountryCode, r.Type, r.ProviderId,
                       'Benchmark referral to accept.', r.Urgency, 'Sent', NULL, NULL, NULL, NULL, $sent, r.CreatedBy, $due, NULL, NULL, NULL, NULL,
                       NULL, NULL, NULL, NULL, $version, $sent, r.CreatedBy, NULL, NULL
                FROM (SELECT * FROM Referrals WHERE CaseNumber = $number AND CreatedBy = '{CreatedBy}' ORDER BY Id LIMIT 1) r;
                """,
                ("$id", Guid.NewGuid().ToString().ToUpperInvariant()), ("$version", Guid.NewGuid().ToString().ToUpperInvariant()), ("$number", number),
                ("$sent", Format(nowUtc.AddDays(-1))), ("$due", Format(nowUtc.AddDays(2))));
        }

        await transaction.CommitAsync();
        await connection.CloseAsync();
        SqliteConnection.ClearPool(connection);
        return number;
    }

    private const string InsertCasesSql = $"""
        INSERT INTO Cases (Id, Number, CountryCode, Status, RiskLevel, RiskAssessedBy, RiskAssessedAtUtc, AssignedAdvocateId, AssignedAtUtc, OpenedAtUtc,
                           FirstContactAtUtc, ClosedAtUtc, ClosureReason, ClosureComment, ClosureRequestedBy, ClosureRequestedAtUtc, StatusBeforeClosureRequest,
                           ReopenCount, SubmissionLanguage, IntakeSubmissionId, Profile_Sex, Profile_AgeGroup, Profile_DateOfBirth, Profile_BirthYear,
                           Profile_Languages, Profile_HasDisability, Profile_DisabilityDetails, Profile_District, Profile_ChildBornOfSea,
                           Allegation_EntityType, Allegation_MissionOrEntityName, Allegation_PersonnelCategory, Allegation_Class, Allegation_Subtype,
                           Allegation_IncidentDate, Allegation_DateReported, Allegation_InvestigationStatus, Allegation_InterimActions,
                           Version, CreatedAtUtc, CreatedBy, ChangedAtUtc, ChangedBy, FirstContactAfterDays)
        SELECT Id, Number, CountryCode, Status, RiskLevel, NULL, OpenedAtUtc, AssignedAdvocateId,
               CASE WHEN AssignedAdvocateId IS NOT NULL THEN datetime(OpenedAtUtc, '+1 day') END, OpenedAtUtc,
               CASE WHEN Status <> 'Intake' THEN datetime(OpenedAtUtc, '+1 day') END,
               CASE WHEN Status = 'Closed' THEN datetime(OpenedAtUtc, '+60 days') END,
               CASE WHEN Status = 'Closed' THEN 'AssistanceCompleted' END, NULL,
               CASE WHEN Status = 'ClosureRequested' THEN coalesce(AssignedAdvocateId, '{CreatedBy}') END,
               CASE WHEN Status = 'ClosureRequested' THEN datetime(OpenedAtUtc, '+45 days') END,
               CASE WHEN Status = 'ClosureRequested' THEN 'FollowUp' END,
               0, CASE WHEN CountryCode IN ('SS', 'LB') THEN 'en' ELSE 'fr' END, NULL,
               CASE WHEN n % 10 < 8 THEN 'Female' WHEN n % 10 = 8 THEN 'Male' ELSE 'Unknown' END,
               CASE WHEN n % 7 = 0 THEN 'Child' WHEN n % 13 = 0 THEN 'Unknown' ELSE 'Adult' END, NULL, NULL,
               CASE WHEN CountryCode IN ('SS', 'LB') THEN '["en"]' ELSE '["fr"]' END, 0, NULL, NULL,
               CASE WHEN {ChildBornOfSea} THEN 1 ELSE 0 END,
               CASE WHEN {HasAllegation} THEN
                 CASE WHEN (n * 17) % 20 < 11 THEN 'PeacekeepingMission' WHEN (n * 17) % 20 = 11 THEN 'SpecialPoliticalMission'
                      WHEN (n * 17) % 20 < 17 THEN 'AgencyFundOrProgramme' WHEN (n * 17) % 20 < 19 THEN 'ImplementingPartner'
                      ELSE 'NonUnForceUnderSecurityCouncilMandate' END END,
               CASE WHEN {HasAllegation} THEN
                 CASE WHEN (n * 17) % 20 < 12 THEN CASE CountryCode WHEN 'CF' THEN 'MINUSCA' WHEN 'CD' THEN 'MONUSCO' WHEN 'SS' THEN 'UNMISS' WHEN 'HT' THEN 'BINUH' ELSE 'Benchmark mission' END
                      ELSE 'Benchmark entity' END END,
               CASE WHEN {HasAllegation} THEN
                 CASE (n * 7) % 9 WHEN 0 THEN 'StaffMember' WHEN 1 THEN 'UnVolunteer' WHEN 2 THEN 'MilitaryContingent' WHEN 3 THEN 'MilitaryContingent'
                      WHEN 4 THEN 'MilitaryObserverOrStaffOfficer' WHEN 5 THEN 'UnPolice' WHEN 6 THEN 'FormedPoliceUnit' WHEN 7 THEN 'Contractor' ELSE 'Unknown' END END,
               CASE WHEN {HasAllegation} THEN CASE WHEN (n * 3) % 20 < 10 THEN 'Exploitation' WHEN (n * 3) % 20 < 18 THEN 'Abuse' WHEN (n * 3) % 20 = 18 THEN 'Other' ELSE 'Unknown' END END,
               CASE WHEN {HasAllegation} THEN
                 CASE (n * 11) % 6 WHEN 0 THEN 'Rape' WHEN 1 THEN 'TransactionalSex' WHEN 2 THEN 'ExploitativeRelationship' WHEN 3 THEN 'SexualAssault'
                      WHEN 4 THEN 'SexualActivityWithMinor' ELSE 'Unknown' END END,
               CASE WHEN {HasAllegation} THEN date(OpenedAtUtc, '-' || (30 + n % 400) || ' days') END,
               CASE WHEN {HasAllegation} THEN date(OpenedAtUtc, '-' || (n % 30) || ' days') END,
               CASE WHEN {HasAllegation} THEN
                 CASE WHEN Status = 'Closed' THEN CASE (n * 13) % 4 WHEN 0 THEN 'Substantiated' WHEN 1 THEN 'NotSubstantiated' WHEN 2 THEN 'Closed' ELSE 'ReferredToMemberState' END
                      ELSE CASE (n * 13) % 3 WHEN 0 THEN 'PreliminaryAssessment' WHEN 1 THEN 'UnderReview' ELSE 'UnderInvestigation' END END END,
               NULL,
               printf('{CaseIdPrefix}0002-0000-4000-8000-%012X', n), OpenedAtUtc, '{CreatedBy}', NULL, NULL,
               -- The days to first contact as the portal keeps them (CaseFirstContactDelay), from the first contact above.
               julianday(CASE WHEN Status <> 'Intake' THEN datetime(OpenedAtUtc, '+1 day') END) - julianday(OpenedAtUtc)
        FROM bench_case;
        """;

    // A referral's type as the cases' referral-type bits hold it (the portal's CaseReferralTypes: bit n for the n-th
    // declared type); set once for the loaded cases, where its triggers would update a case once per referral.
    private const string ReferralTypeBit =
        "CASE r.Type WHEN 'Medical' THEN 1 WHEN 'Psychosocial' THEN 2 WHEN 'Legal' THEN 4 WHEN 'PaternityAndChildSupport' THEN 8 " +
        "WHEN 'SkillsTrainingOrLivelihood' THEN 16 WHEN 'Education' THEN 32 WHEN 'MaterialAssistance' THEN 64 WHEN 'SafetyAndProtection' THEN 128 ELSE 0 END";

    // Which loaded cases carry an allegation (85%) and which record a child born of SEA (4%); the children and
    // claims are written from the same rule.
    private const string HasAllegation = "n % 20 < 17";
    private const string ChildBornOfSea = "n % 25 = 3";

    // What the loader fills per table; any other required column means the model changed and the loader must learn it.
    private static readonly Dictionary<string, string[]> KnownColumns = new()
    {
        ["Cases"] =
        [
            "Id", "Number", "CountryCode", "Status", "RiskLevel", "RiskAssessedBy", "RiskAssessedAtUtc", "AssignedAdvocateId", "AssignedAtUtc", "OpenedAtUtc",
            "FirstContactAtUtc", "ClosedAtUtc", "ClosureReason", "ClosureComment", "ClosureRequestedBy", "ClosureRequestedAtUtc", "StatusBeforeClosureRequest",
            "ReopenCount", "SubmissionLanguage", "IntakeSubmissionId", "Profile_Sex", "Profile_AgeGroup", "Profile_DateOfBirth", "Profile_BirthYear",
            "Profile_Languages", "Profile_HasDisability", "Profile_DisabilityDetails", "Profile_District", "Profile_ChildBornOfSea",
            "Allegation_EntityType", "Allegation_MissionOrEntityName", "Allegation_PersonnelCategory", "Allegation_Class", "Allegation_Subtype",
            "Allegation_IncidentDate", "Allegation_DateReported", "Allegation_InvestigationStatus", "Allegation_InterimActions",
            "Version", "CreatedAtUtc", "CreatedBy", "ChangedAtUtc", "ChangedBy", "FirstContactAfterDays",
        ],
        ["Referrals"] =
        [
            "Id", "CaseId", "CaseNumber", "CountryCode", "Type", "ProviderId", "Reason", "Urgency", "Status", "DeclineReason", "Outcome", "OutcomeComment",
            "WithdrawReason", "SentAtUtc", "SentBy", "AcceptanceDueAtUtc", "AcceptedAtUtc", "DeclinedAtUtc", "CompletedAtUtc", "WithdrawnAtUtc",
            "ConsentOverride_ByUserId", "ConsentOverride_Reason", "ConsentOverride_AtUtc", "ConsentOverride_MissingConsent",
            "Version", "CreatedAtUtc", "CreatedBy", "ChangedAtUtc", "ChangedBy",
        ],
        ["FollowUps"] =
        [
            "Id", "CaseId", "ReferralId", "Kind", "Title", "DueAtUtc", "IsUrgent", "Source", "Status", "SnoozedUntilUtc", "SnoozeReason", "SnoozedBy",
            "DoneAtUtc", "DoneBy", "DoneNote", "CancelledAtUtc", "CancelledBy", "CancelReason", "Version", "CreatedAtUtc", "CreatedBy", "ChangedAtUtc", "ChangedBy",
            "CountryCode",
        ],
        ["Children"] = ["Id", "CaseId", "Pseudonym", "DateOfBirth", "BirthYear", "Sex", "Needs", "IsExpected", "Version", "CreatedAtUtc", "CreatedBy", "ChangedAtUtc", "ChangedBy", "CountryCode"],
        ["PaternityClaims"] =
        [
            "Id", "ChildId", "CaseId", "MemberStateCode", "Jurisdictions", "Status", "LegalAidReferralId", "OpenedAtUtc", "LastMovementAtUtc",
            "Version", "CreatedAtUtc", "CreatedBy", "ChangedAtUtc", "ChangedBy", "CountryCode",
        ],
        ["CaseStatusChanges"] = ["Sequence", "CaseId", "From", "To", "ByUserId", "AtUtc", "Comment", "ClosureReason"],
        ["ServiceProviders"] = ["Id", "CountryCode", "Name", "ServicesOffered", "Languages", "Contact", "IsActive", "AnswersInPortal", "Version", "CreatedAtUtc", "CreatedBy", "ChangedAtUtc", "ChangedBy"],
    };

    private static async Task CheckColumnsAsync(SqliteConnection connection, SqliteTransaction transaction)
    {
        foreach (var (table, known) in KnownColumns)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"SELECT name, \"notnull\", dflt_value FROM pragma_table_info('{table}');";
            await using var reader = await command.ExecuteReaderAsync();
            var any = false;
            while (await reader.ReadAsync())
            {
                any = true;
                var name = reader.GetString(0);
                if (!known.Contains(name, StringComparer.Ordinal) && reader.GetInt64(1) == 1 && await reader.IsDBNullAsync(2))
                {
                    throw new InvalidOperationException(
                        $"{table}.{name} is a required column the benchmark loader does not fill (the model changed); add it to PortalDatabase.");
                }
            }

            if (!any)
            {
                throw new InvalidOperationException($"The portal database has no table {table}; start the portal once on this data folder to migrate it.");
            }
        }
    }

    private static async Task<SqliteConnection> OpenAsync(string dataDirectory)
    {
        var file = FileIn(dataDirectory);
        if (!File.Exists(file))
        {
            throw new InvalidOperationException($"{file} does not exist; start the portal once on this data folder to create and migrate it.");
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false, DefaultTimeout = 600 }.ToString());
        await connection.OpenAsync();
        await ExecuteAsync(connection, null, "PRAGMA busy_timeout = 10000;");
        return connection;
    }

    private static string Format(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        // Long enough for a million rows on a slow disk; a lock held by someone else still fails instead of waiting forever.
        command.CommandTimeout = 1800;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 1800;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteScalarAsync();
    }
}
