using Microsoft.Extensions.Localization;
using MudBlazor;
using Portal.Resources;

namespace Portal.Features.Localization;

/// <summary>
/// MudBlazor's own texts (a data grid's "Loading…") in the user's language: looked up in the shared resources as
/// "Mud_" and MudBlazor's key; a key not there keeps MudBlazor's English.
/// </summary>
public sealed class PortalMudLocalizer(IStringLocalizer<SharedResource> shared) : MudLocalizer
{
    public override LocalizedString this[string key]
    {
        get
        {
            var found = shared["Mud_" + key];
            return found.ResourceNotFound ? new LocalizedString(key, key, resourceNotFound: true) : new LocalizedString(key, found.Value);
        }
    }
}
