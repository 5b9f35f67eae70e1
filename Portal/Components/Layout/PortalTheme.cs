using MudBlazor;

namespace Portal.Components.Layout;

/// <summary>
/// UN blue, system fonts only: no request ever leaves for a font host. The status colours are darker than MudBlazor's
/// defaults so that white text on a chip or badge (risk, counts, the bell) reaches WCAG AA contrast (4.5:1); the dark
/// palette's are lighter, with dark text on them, for the same reason.
/// </summary>
public static class PortalTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#0b5ea8",
            Secondary = "#5b6770",
            AppbarBackground = "#0b5ea8",
            Error = "#c62828",
            Warning = "#a84b00",
            Success = "#2e7d32",
            Info = "#01579b",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#6aa9e9",
            Secondary = "#9aa5ad",

            // On a dark screen the status colours are light, as text on the page and under dark text on a chip.
            Error = "#ef9a9a",
            ErrorContrastText = "rgba(0,0,0,0.87)",
            Warning = "#ffb74d",
            WarningContrastText = "rgba(0,0,0,0.87)",
            Success = "#81c784",
            SuccessContrastText = "rgba(0,0,0,0.87)",
            Info = "#81d4fa",
            InfoContrastText = "rgba(0,0,0,0.87)",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Noto Sans", "Arial", "sans-serif"],
            },
        },
    };
}
