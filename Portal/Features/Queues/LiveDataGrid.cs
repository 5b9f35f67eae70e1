using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Portal.Features.Queues;

/// <summary>
/// A <see cref="MudDataGrid{T}"/> whose live refreshes render once. A server-data reload renders the whole grid three
/// times: once to show it is loading, then twice with the rows (its grouping step and its reload each ask for a render,
/// with nothing changed in between). A live change reloads every open queue page of its scope at once, so those repeats
/// were most of each page's work. Loads the user asks for (sorting, paging, filtering) still show that they are loading.
/// </summary>
[CascadingTypeParameter(nameof(T))]
public sealed class LiveDataGrid<T> : MudDataGrid<T>
{
    private bool _quiet;
    private bool _renderedRows;

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

    protected override bool ShouldRender()
    {
        if (_quiet)
        {
            if (Loading)
            {
                // A load (this one, or one the grid starts inside it, such as going back to the first page) is under
                // way: the rows it brings get their render.
                _renderedRows = false;
                return false;
            }

            if (_renderedRows)
            {
                return false;
            }

            _renderedRows = true;
        }

        return base.ShouldRender();
    }
}
