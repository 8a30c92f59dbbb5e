using ConsoleProxy.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ConsoleProxy.Health;

/// <summary>
/// `/healthz` (the process serves requests: liveness) and `/readyz` (it should get new sessions:
/// readiness). Mapped ahead of the console endpoint, so they need no token and never count as
/// sessions. Liveness deliberately ignores Redis: restarting a pod does not bring Redis back.
/// </summary>
public static class HealthEndpoints
{
    public const string LivenessPath = "/healthz";

    public const string ReadinessPath = "/readyz";

    public static void Map(IApplicationBuilder app)
    {
        app.Map(LivenessPath, branch => branch.Run(context => AnswerAsync(context, null)));
        app.Map(ReadinessPath, branch => branch.Run(async context =>
        {
            var probe = context.RequestServices.GetRequiredService<ReadinessProbe>();
            await AnswerAsync(context, await probe.CheckAsync(context.RequestAborted));
        }));
    }

    private static Task AnswerAsync(HttpContext context, string? notReadyReason) =>
        PlainTextAnswer.WriteAsync(context, notReadyReason is null ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, notReadyReason ?? "ok");
}
