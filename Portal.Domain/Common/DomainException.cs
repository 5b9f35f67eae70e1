namespace Portal.Domain.Common;

/// <summary>
/// An operation would break a rule of the domain. The message is English and says what was attempted and why
/// it is refused (for logs and developers); the UI localises by <see cref="Code"/>.
/// </summary>
public class DomainException : Exception
{
    public DomainException(string code, string message)
        : base(message)
    {
        Code = code;
    }

    public string Code { get; }
}
