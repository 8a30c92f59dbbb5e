using System.Net;
using ConsoleProxy.Tokens.Minting;
using ConsoleProxy.Tokens.Store;

namespace ConsoleProxy.Sessions;

/// <summary>
/// One live console: who it belongs to, when it started, when it last moved a byte, and a
/// one-shot termination signal. Anything that ends a session from outside the relay (revocation,
/// expiry, idle, max duration, drain) calls <see cref="Terminate"/>; the first reason wins and the
/// relay turns it into the close frame.
/// </summary>
public sealed class ConsoleSession
{
    private readonly TaskCompletionSource<SessionCloseReason> _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeProvider _timeProvider;
    private long _lastActivityTicks;
    private long _bytesToTarget;
    private long _bytesToClient;

    public ConsoleSession(long id, TokenHash tokenHash, TokenRecord record, IPEndPoint targetEndPoint, string client, TimeProvider timeProvider)
    {
        Id = id;
        TokenHash = tokenHash;
        Record = record;
        TargetEndPoint = targetEndPoint;
        Client = client;
        _timeProvider = timeProvider;
        StartedAt = timeProvider.GetUtcNow();
        _lastActivityTicks = StartedAt.UtcTicks;
    }

    public long Id { get; }

    public TokenHash TokenHash { get; }

    public TokenRecord Record { get; }

    /// <summary>The resolved address actually dialed (the policy was checked against it).</summary>
    public IPEndPoint TargetEndPoint { get; }

    /// <summary>The client's address for logs.</summary>
    public string Client { get; }

    public DateTimeOffset StartedAt { get; }

    public DateTimeOffset LastActivity => new(Volatile.Read(ref _lastActivityTicks), TimeSpan.Zero);

    public long BytesToTarget => Volatile.Read(ref _bytesToTarget);

    public long BytesToClient => Volatile.Read(ref _bytesToClient);

    /// <summary>Completes with the first reason given to <see cref="Terminate"/>.</summary>
    public Task<SessionCloseReason> Terminated => _terminated.Task;

    /// <summary>Asks the relay to close with this reason; false when another reason came first.</summary>
    public bool Terminate(SessionCloseReason reason) => _terminated.TrySetResult(reason);

    public void RecordToTarget(int bytes)
    {
        Interlocked.Add(ref _bytesToTarget, bytes);
        Touch();
    }

    public void RecordToClient(int bytes)
    {
        Interlocked.Add(ref _bytesToClient, bytes);
        Touch();
    }

    private void Touch() => Volatile.Write(ref _lastActivityTicks, _timeProvider.GetUtcNow().UtcTicks);
}
