using Microsoft.AspNetCore.Http;

namespace ConsoleProxy.Http;

/// <summary>
/// Every short answer the proxy gives outside a session (refusals, probes): a status and one line of plain text that
/// a person or a script can read, never cached (it describes this moment, and refusals may concern a token).
/// </summary>
public static class PlainTextAnswer
{
    public static Task WriteAsync(HttpContext context, int status, string text)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return HttpMethods.IsHead(context.Request.Method)
            ? Task.CompletedTask
            : context.Response.WriteAsync(text + "\n", context.RequestAborted);
    }
}
