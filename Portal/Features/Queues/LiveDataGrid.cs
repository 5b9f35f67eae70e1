using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Portal.Features.Queues;

/// <summary>
/// A <see cref="MudDataGrid{T}"/> whose live refreshes skip the "loading" render. A server-data reload renders the whole
/// grid twice (once to show it is loading, once with the rows); a live change reloads every open queue page of its
/// scope at once, and the loading frame, shown for the few milliseconds of a shared query, was half of each page's work.
/// Loads the user asks for (sorting, paging, filtering) still show that they are loading.
/// </summary>
[CascadingTypeParameter(nameof(T))]
public sealed class LiveDataGrid<T> : MudDataGrid<T>
{
    private bool _quiet;

    /// <summary>Reloads the current page from the server, keeping the rows on screen until the new ones arrive.</summary>
    public async Task RefreshQuietlyAsync()
    {
        _quiet = true;
        try
        {
            await ReloadServerData();
        }
        finally
        {
            _quiet = false;
        }
    }

    protected override bool ShouldRender() => !(_quiet && Loading) && base.ShouldRender();
}
