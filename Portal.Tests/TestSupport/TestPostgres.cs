using Npgsql;

namespace Portal.Tests.TestSupport;

/// <summary>
/// The PostgreSQL server the test command starts (scripts/test-services.sh exports <c>PORTAL_TEST_POSTGRES</c>, a
/// connection string naming no database). Each fixture gets a database of its own, created by the portal's own start-up
/// (migrations create a missing database) and dropped when the fixture ends, so fixtures never see each other's rows.
/// <para>
/// <c>PORTAL_TEST_DATABASE=Postgres</c> makes every in-process test database (<see cref="PortalAppFactory"/>, and so
/// <see cref="TestDatabase"/>) use it instead of an SQLite file: test.sh runs the persistence and service tests a second
/// time that way.
/// </para>
/// </summary>
public static class TestPostgres
{
    public const string ServerVariable = "PORTAL_TEST_POSTGRES";
    public const string ProviderVariable = "PORTAL_TEST_DATABASE";

    /// <summary>Tests about SQLite itself (query plans, the raw file) carry this trait; the PostgreSQL run leaves them out.</summary>
    public const string DatabaseTrait = "Database";
    public const string SqliteOnly = "SqliteOnly";

    /// <summary>Whether in-process test databases run on PostgreSQL in this test run.</summary>
    public static bool IsSelected { get; } =
        string.Equals(Environment.GetEnvironmentVariable(ProviderVariable), "Postgres", StringComparison.OrdinalIgnoreCase);

    public static string Server =>
        Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } server
            ? server
            : throw new InvalidOperationException(
                $"{ServerVariable} is not set. The scaled-out tests need the PostgreSQL and Redis that ./test.sh starts " +
                "(scripts/test-services.sh); run them through ./test.sh, or source that script and call start_test_services.");

    /// <summary>A connection string for a new, uniquely named database on the test server.</summary>
    public static string NewDatabase(string purpose) =>
        new NpgsqlConnectionStringBuilder(Server) { Database = $"portal_{purpose}_{Guid.NewGuid():N}" }.ConnectionString;

    /// <summary>Drops the database, closing whatever connections are still open on it.</summary>
    public static void Drop(string connectionString)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"DROP DATABASE IF EXISTS \"{target.Database}\" WITH (FORCE)";
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// An instant as the test database keeps it: PostgreSQL stores microseconds (Npgsql drops the last tick digit),
    /// SQLite every tick.
    /// </summary>
    public static DateTime AsStored(DateTime value) =>
        IsSelected ? new DateTime(value.Ticks - (value.Ticks % 10), value.Kind) : value;
}
