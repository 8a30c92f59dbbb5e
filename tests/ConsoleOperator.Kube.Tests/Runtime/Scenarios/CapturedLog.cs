using Microsoft.Extensions.Logging;

namespace ConsoleOperator.Kube.Tests.Runtime.Scenarios;

/// <summary>One log entry written through a <see cref="CapturingLoggerFactory"/>.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, string Message, Exception? Exception);
