using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Infrastructure.Data;

namespace Portal.Tests.TestSupport;

/// <summary>
/// A real SQLite file set up exactly as the app sets it up: the portal is started in-process (Testing environment)
/// on a data folder of its own, so migrations, WAL, pragmas, Data Protection keys, field encryption, interceptors
/// and the default countries are all the app's own. Use as a class fixture; dispose deletes the folder. When the run
/// selects PostgreSQL (<c>PORTAL_TEST_DATABASE=Postgres</c>) it is a PostgreSQL database of its own instead.
/// </summary>
public sealed class TestDatabase : IDisposable
{
    private readonly PortalAppFactory _app;

    public TestDatabase()
        : this(new PortalAppFactory())
    {
    }

    /// <summary>On an app set up differently (a short busy timeout, for instance); disposing this disposes it.</summary>
    internal TestDatabase(PortalAppFactory app)
    {
        _app = app;
        _ = _app.Server; // starts the app, which migrates and seeds reference data
    }

    public IServiceProvider Services => _app.Services;

    public IDbContextFactory<PortalDbContext> Contexts => Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();

    public string DataDirectory => _app.DataDirectory;

    public string DatabaseFile => Path.Combine(_app.DataDirectory, "portal.db");

    public bool IsPostgres => _app.IsPostgres;

    /// <summary>A record id as a raw SQL parameter: SQLite stores Guids as upper-case text, PostgreSQL as uuid.</summary>
    public object Id(Guid id) => IsPostgres ? id : id.ToString().ToUpperInvariant();

    /// <summary>A fresh context, as a feature service would create one, acting for <paramref name="actorId"/>.</summary>
    public PortalDbContext NewContext(string? actorId = "test-user")
    {
        var db = Contexts.CreateDbContext();
        db.ActorId = actorId;
        return db;
    }

    public T Service<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Runs raw SQL on a new connection and returns the first column of every row.</summary>
    public async Task<List<object?>> QueryAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var db = NewContext();
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            AddParameter(command, name, value);
        }

        var rows = new List<object?>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(await reader.IsDBNullAsync(0) ? null : reader.GetValue(0));
        }

        return rows;
    }

    public static void AddParameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    public void Dispose() => _app.Dispose();
}
