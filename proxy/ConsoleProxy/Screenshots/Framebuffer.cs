namespace ConsoleProxy.Screenshots;

/// <summary>A console's screen: <see cref="Width"/> x <see cref="Height"/> pixels, 8-bit red, green, blue, row by row.</summary>
public sealed record Framebuffer(int Width, int Height, byte[] Rgb);
