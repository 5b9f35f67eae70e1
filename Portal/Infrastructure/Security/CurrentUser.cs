using System.Net;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Portal.Infrastructure.Security;

/// <summary>
/// The signed-in staff member, the same way in a circuit (from the revalidated authentication state) and in
/// a plain request (from HttpContext). Feature services take their scope from here on every call.
/// </summary>
public interface ICurrentUser
{
    /// <summary>The scope of the signed-in user, or null when nobody is signed in (or the session has just ended).</summary>
    Task<UserScope?> FindAsync(CancellationToken cancellationToken = default);

    /// <summary>The scope of the signed-in user; throws <see cref="NotSignedInException"/> when nobody is.</summary>
    Task<UserScope> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>The client's address, for the audit trail.</summary>
    string? RemoteAddress { get; }
}

internal sealed class CurrentUser(IHttpContextAccessor http, AuthenticationStateProvider authenticationState, CircuitConnection circuit) : ICurrentUser
{
    public string? RemoteAddress => circuit.IsCircuit ? circuit.RemoteAddress : Format(http.HttpContext?.Connection.RemoteIpAddress);

    public async Task<UserScope?> FindAsync(CancellationToken cancellationToken = default)
    {
        // Inside a circuit HttpContext belongs to the connection that opened it and never changes; the
        // authentication state is the one that revalidation keeps current.
        if (!circuit.IsCircuit && http.HttpContext is { } context)
        {
            return UserScope.FromPrincipal(context.User);
        }

        var state = await authenticationState.GetAuthenticationStateAsync();
        return UserScope.FromPrincipal(state.User);
    }

    public async Task<UserScope> GetAsync(CancellationToken cancellationToken = default) =>
        await FindAsync(cancellationToken) ?? throw new NotSignedInException();

    internal static string? Format(IPAddress? address) =>
        address is null ? null : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
}

/// <summary>Per-circuit facts: that code runs inside a circuit, the client address that opened it, and whether its browser is connected now.</summary>
public sealed class CircuitConnection
{
    public bool IsCircuit { get; internal set; }

    public string? RemoteAddress { get; internal set; }

    /// <summary>False while the browser is away: a tab closed or a link dropped leaves the circuit held for a while, with nobody at it.</summary>
    public bool IsConnected { get; private set; } = true;

    /// <summary>The browser left or came back (raised on the circuit's dispatcher).</summary>
    public event Action? ConnectionChanged;

    internal void SetConnected(bool connected)
    {
        IsConnected = connected;
        ConnectionChanged?.Invoke();
    }
}

internal sealed class CircuitConnectionHandler(CircuitConnection connection, IHttpContextAccessor http) : CircuitHandler
{
    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        connection.IsCircuit = true;
        connection.RemoteAddress ??= CurrentUser.Format(http.HttpContext?.Connection.RemoteIpAddress);
        return Task.CompletedTask;
    }

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        // A reconnection may come from a new address (a phone moving between networks).
        connection.RemoteAddress = CurrentUser.Format(http.HttpContext?.Connection.RemoteIpAddress) ?? connection.RemoteAddress;
        connection.SetConnected(true);
        return Task.CompletedTask;
    }

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        connection.SetConnected(false);
        return Task.CompletedTask;
    }
}

/// <summary>Nobody is signed in (or the session ended while the page was open).</summary>
public sealed class NotSignedInException() : UnauthorizedAccessException("Nobody is signed in.");

/// <summary>The signed-in user lacks the role an operation needs. The attempt has been audited.</summary>
public sealed class AccessDeniedException(string operation) : UnauthorizedAccessException($"Access denied: {operation}.")
{
    public string Operation { get; } = operation;
}

/// <summary>
/// The record does not exist or lies outside the user's scope; the two are deliberately indistinguishable.
/// </summary>
public sealed class RecordNotFoundException(string recordType, string recordId) : Exception($"{recordType} {recordId} was not found.")
{
    public string RecordType { get; } = recordType;

    public string RecordId { get; } = recordId;
}
