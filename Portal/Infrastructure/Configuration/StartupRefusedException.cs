namespace Portal.Infrastructure.Configuration;

/// <summary>
/// The portal will not start, for a reason an operator can fix: the message says what is wrong, where, and what to do.
/// Program prints it alone (no stack trace) and exits with a non-zero code.
/// </summary>
public sealed class StartupRefusedException(string message, Exception? innerException = null) : Exception(message, innerException)
{
    /// <summary>EX_CONFIG (sysexits.h): the configuration or the data the portal was started with is unusable.</summary>
    public const int ExitCode = 78;
}
