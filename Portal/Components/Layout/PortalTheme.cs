using MudBlazor;

namespace Portal.Components.Layout;

/// <summary>UN blue, system fonts only: no request ever leaves for a font host.</summary>
public static class PortalTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#0b5ea8",
            Secondary = "#5b6770",
            AppbarBackground = "#0b5ea8",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#6aa9e9",
            Secondary = "#9aa5ad",
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
