namespace TestKit.Browser;

/// <summary>
/// What the remote screen's canvas shows, measured in the page: its size, how many pixels are lit
/// (clearly brighter than black) and how many distinct colours appear (counted up to 64).
/// QEMU's BIOS screen is grey text on black: hundreds of lit pixels and at least two colours.
/// </summary>
public sealed record CanvasPicture(int Width, int Height, int LitPixels, int Colours)
{
    /// <summary>Reads the console's canvas (noVNC's in #screen, spice-html5's first display in #spice-screen); null while there is none (not connected yet).</summary>
    public const string MeasureScript = """
        () => {
            const canvas = document.querySelector('#screen canvas, #spice-screen canvas');
            if (!canvas || canvas.width === 0 || canvas.height === 0) {
                return null;
            }
            const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            let litPixels = 0;
            const colours = new Set();
            for (let i = 0; i < data.length; i += 4) {
                if (data[i] + data[i + 1] + data[i + 2] > 96) {
                    litPixels++;
                }
                if (colours.size < 64) {
                    colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
                }
            }
            return { width: canvas.width, height: canvas.height, litPixels, colours: colours.size };
        }
        """;

    /// <summary>A picture, not a blank or a flat fill: text or graphics of some kind.</summary>
    public bool ShowsSomething => LitPixels >= 500 && Colours >= 2;

    public override string ToString() => $"{Width}x{Height}, {LitPixels} lit pixels, {Colours} colours";
}
