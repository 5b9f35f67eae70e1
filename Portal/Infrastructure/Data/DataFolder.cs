using System.Globalization;
using Portal.Infrastructure.Configuration;

namespace Portal.Infrastructure.Data;

/// <summary>
/// The data folder as start-up finds it: it must be writable by the portal's user (else a plain message naming the
/// folder and the missing permission, not a stack trace from deep inside SQLite), and in the embedded mode it belongs
/// to one running portal at a time: two portals on one folder would each take the other's jobs and overwrite each
/// other's work. The folder is locked with an exclusive operating-system lock on <c>portal.lock</c>, which the system
/// releases when the process ends, however it ends; <c>portal.lock.owner</c> says which process holds it.
/// </summary>
public static class DataFolder
{
    public const string LockFileName = "portal.lock";
    public const string OwnerFileName = "portal.lock.owner";

    /// <summary>Creates the folder when missing and checks that the portal can write where it needs to.</summary>
    /// <exception cref="StartupRefusedException">The folder or something in it cannot be written.</exception>
    public static void EnsureWritable(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw Refusal(directory, Path.GetDirectoryName(directory) ?? directory, "create the data folder in", ex);
        }

        // Every folder the portal writes into (keys, mail pickup and its .tmp), and every file it keeps open for writing
        // (the databases, their journals, the lock); the key files need only be readable. The mail pickup's own messages
        // are not opened: there may be many, and the portal never writes to them again.
        foreach (var folder in Directory.EnumerateDirectories(directory, "*", SearchOption.AllDirectories).Prepend(directory))
        {
            ProbeFolder(directory, folder);
        }

        foreach (var file in Directory.EnumerateFiles(directory))
        {
            ProbeFile(directory, file, FileAccess.ReadWrite);
        }

        var keys = Path.Combine(directory, "keys");
        if (Directory.Exists(keys))
        {
            foreach (var file in Directory.EnumerateFiles(keys, "*.xml"))
            {
                ProbeFile(directory, file, FileAccess.Read);
            }
        }
    }

    /// <summary>Takes the folder for this process; dispose to give it back (the system also does when the process ends).</summary>
    /// <exception cref="StartupRefusedException">Another process holds it.</exception>
    public static DataFolderLock Lock(string directory, TimeProvider clock)
    {
        var path = Path.Combine(directory, LockFileName);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new StartupRefusedException(
                $"The portal will not start: its data folder {directory} is in use by another portal ({DescribeHolder(directory)}). " +
                "Two portals on one data folder would take each other's jobs and overwrite each other's work. Stop the other " +
                $"one first, or give this one a data folder of its own (Portal:DataDirectory).",
                ex);
        }

        var owner = string.Create(
            CultureInfo.InvariantCulture,
            $"process {Environment.ProcessId} on {Environment.MachineName}, started {clock.GetUtcNow():yyyy-MM-dd HH:mm:ss} UTC");
        stream.SetLength(0);
        stream.Write(System.Text.Encoding.UTF8.GetBytes(owner + Environment.NewLine));
        stream.Flush(flushToDisk: true);
        File.WriteAllText(Path.Combine(directory, OwnerFileName), owner + Environment.NewLine);
        return new DataFolderLock(stream, directory);
    }

    /// <summary>Who holds the folder, as its owner file says; for a second start and for operator commands.</summary>
    public static string DescribeHolder(string directory)
    {
        try
        {
            var owner = File.ReadAllText(Path.Combine(directory, OwnerFileName)).Trim();
            return owner.Length > 0 ? owner : "a process that has not said which";
        }
        catch (IOException)
        {
            return "a process that has not said which";
        }
    }

    private static void ProbeFolder(string dataDirectory, string folder)
    {
        var probe = Path.Combine(folder, $".write-test-{Guid.NewGuid():N}");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw Refusal(dataDirectory, folder, "create files in", ex);
        }
    }

    private static void ProbeFile(string dataDirectory, string file, FileAccess access)
    {
        try
        {
            using (new FileStream(file, FileMode.Open, access, FileShare.ReadWrite | FileShare.Delete))
            {
            }
        }
        catch (UnauthorizedAccessException ex)
        {
            throw Refusal(dataDirectory, file, access == FileAccess.Read ? "read" : "write to", ex);
        }
        catch (IOException)
        {
            // In use (the lock file of a running portal): the lock itself says so, with a better message.
        }
    }

    private static StartupRefusedException Refusal(string dataDirectory, string path, string what, Exception ex)
    {
        var permission = what == "read" ? "read" : "write";
        return new StartupRefusedException(
            $"The portal will not start: it cannot {what} {path} ({ex.Message.TrimEnd('.')}). The user the portal runs as " +
            $"({Environment.UserName}) needs {permission} permission there: the data folder {dataDirectory} and everything in " +
            $"it must belong to that user (for example: chown -R {Environment.UserName} {dataDirectory}) and be writable by it " +
            "(chmod -R u+rwX), on a file system mounted read-write.",
            ex);
    }
}

/// <summary>The running portal's hold on its data folder.</summary>
public sealed class DataFolderLock(FileStream stream, string directory) : IDisposable
{
    public string Directory { get; } = directory;

    public void Dispose()
    {
        try
        {
            File.Delete(Path.Combine(Directory, DataFolder.OwnerFileName));
        }
        catch (IOException)
        {
            // The next holder rewrites it.
        }

        stream.Dispose();
    }
}
