using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace ConsoleProxy.WebClient;

/// <summary>
/// Serves the noVNC web client: `vnc.html`, `vnc_lite.html`, `vnc_auto.html` (nova's old page
/// name, answered with `vnc_lite.html`) and their assets from the web folder. The page URLs carry
/// the token (inside `path`), so HTML is never cached and no Referer leaks it to other sites; and they show a live
/// console, so only the sites the <see cref="FramingPolicy"/> names may frame them.
/// </summary>
public static partial class NoVncWebClient
{
    public const string LitePage = "/vnc_lite.html";
    public const string NovaPage = "/vnc_auto.html";

    /// <summary>Adds the pages to the pipeline; logs an error (and serves nothing) when the folder is missing.</summary>
    public static void Use(WebApplication app, string webRoot, FramingPolicy framing, ILogger logger)
    {
        var root = Path.GetFullPath(webRoot);
        if (!File.Exists(Path.Combine(root, "vnc.html")) && !File.Exists(Path.Combine(root, "vnc_lite.html")))
        {
            LogMissing(logger, root);
            return;
        }

        LogServing(logger, root);
        app.Use(static (context, next) =>
        {
            if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
            {
                if (string.Equals(context.Request.Path.Value, NovaPage, StringComparison.OrdinalIgnoreCase))
                {
                    context.Request.Path = LitePage;
                }
            }

            return next(context);
        });

        var contentTypes = new FileExtensionContentTypeProvider();
        contentTypes.Mappings[".mjs"] = "text/javascript";
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(root),
            ContentTypeProvider = contentTypes,
            OnPrepareResponse = context =>
            {
                if (context.File.Name.EndsWith(".html", StringComparison.OrdinalIgnoreCase))
                {
                    var headers = context.Context.Response.Headers;
                    headers.CacheControl = "no-store";
                    headers["Referrer-Policy"] = "no-referrer";
                    headers.XContentTypeOptions = "nosniff";
                    headers.ContentSecurityPolicy = framing.ContentSecurityPolicy;
                    if (framing.XFrameOptions is { } frameOptions)
                    {
                        headers.XFrameOptions = frameOptions;
                    }
                }
            },
        });
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Error, Message = "The noVNC web client folder '{WebRoot}' has no vnc.html or vnc_lite.html: the pages answer 404 (the WebSocket relay still works). Build the proxy to bundle noVNC, or pass --web /usr/share/novnc")]
    private static partial void LogMissing(ILogger logger, string webRoot);

    [LoggerMessage(EventId = 41, Level = LogLevel.Information, Message = "Serving the noVNC web client from '{WebRoot}'")]
    private static partial void LogServing(ILogger logger, string webRoot);
}
