namespace TestKit.FakeApiServer;

/// <summary>A failure a test asked for: answer matching requests with this Status instead of serving them.</summary>
public sealed record InjectedFailure(int Code, string Reason, string Message, Func<LoggedRequest, bool>? AppliesTo);
