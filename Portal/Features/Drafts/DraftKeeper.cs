using Portal.Infrastructure.Security;

namespace Portal.Features.Drafts;

/// <summary>
/// One form's draft as the person types: each change restarts a short wait, and only when they pause is the text sent
/// to <see cref="DraftService"/>, so a slow link carries one save per pause rather than one per keystroke. Saves run
/// one at a time, and a save already under way is never overtaken by an older text. Text still waiting when the form
/// goes away (the page is left, the circuit is dropped for good) is kept at once.
/// </summary>
public sealed class DraftKeeper(DraftService drafts, UserScope scope, Guid caseId, string form, TimeSpan delay, TimeProvider clock, ILogger logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim _saving = new(1, 1);
    private CancellationTokenSource? _pending;
    private string? _waiting;
    private bool _isWaiting;
    private bool _disposed;

    public Guid CaseId => caseId;

    /// <summary>Raised after the text has been kept on the server (or removed, when emptied), with when.</summary>
    public event Action<DateTime?>? Kept;

    /// <summary>The form changed: keep <paramref name="content"/> once the person pauses.</summary>
    public void Changed(string? content)
    {
        CancelPending();
        if (_disposed)
        {
            return;
        }

        _pending = new CancellationTokenSource();
        (_waiting, _isWaiting) = (content, true);
        _ = KeepAfterAsync(content, _pending.Token);
    }

    /// <summary>The form was saved or discarded: nothing pending is kept, and the server's draft goes.</summary>
    public async Task DiscardAsync()
    {
        CancelPending();
        _isWaiting = false;
        await _saving.WaitAsync();
        try
        {
            await drafts.DiscardAsync(scope, caseId, form);
        }
        finally
        {
            _saving.Release();
        }

        Kept?.Invoke(null);
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        CancelPending();
        if (_isWaiting)
        {
            await KeepNowAsync(_waiting);
        }
    }

    private void CancelPending()
    {
        _pending?.Cancel();
        _pending?.Dispose();
        _pending = null;
    }

    private async Task KeepAfterAsync(string? content, CancellationToken wait)
    {
        try
        {
            await Task.Delay(delay, clock, wait);
        }
        catch (OperationCanceledException)
        {
            return; // a newer text replaced this one, or the form was saved or went away
        }

        _isWaiting = false;
        await KeepNowAsync(content);
    }

    private async Task KeepNowAsync(string? content)
    {
        await _saving.WaitAsync();
        try
        {
            var result = await drafts.KeepAsync(scope, caseId, form, content);
            if (result.Succeeded)
            {
                Kept?.Invoke(string.IsNullOrWhiteSpace(content) ? null : clock.GetUtcNow().UtcDateTime);
            }
        }
        catch (Exception ex)
        {
            // The form still holds the text; the next pause tries again.
            logger.LogWarning(ex, "Could not keep the draft of {Form} on case {CaseId}.", form, caseId);
        }
        finally
        {
            _saving.Release();
        }
    }
}
