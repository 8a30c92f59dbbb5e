using ConsoleOperator.Kube.Client.Errors;
using ConsoleOperator.Kube.Client.Resources;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ConsoleOperator.Kube.Runtime.Election;

/// <summary>
/// Leader election on a Lease, with client-go's semantics. Expiry is judged by the local monotonic
/// clock from the moment this process last saw the lease change, never by comparing the holder's
/// renewTime with our wall clock, so skewed clocks cannot make two leaders. Writes are conditional
/// on the resourceVersion; a conflict means someone else wrote first and the lease is re-read.
/// The lease is the library's <see cref="V1Lease"/>, read with GET and written with POST or a PUT conditional on the
/// resourceVersion; a renewal replaces it whole from the last one read, so its labels and annotations survive.
/// </summary>
public sealed class LeaderElector
{
    private readonly ResourceClient<V1Lease> _leases;
    private readonly string _leaseName;
    private readonly string _lease;
    private readonly LeaderElectionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    // Written only by the one running election loop; read by others through ObservedLeader.
    private volatile V1Lease? _observedLease;
    private long _observedAt;
    private string? _reportedLeader;

    // The source of the token handed to the leading work; null while not leading.
    private volatile CancellationTokenSource? _leadershipSource;
    private int _running;

    /// <param name="leases">The lease client, bound to the lease's namespace.</param>
    public LeaderElector(ResourceClient<V1Lease> leases, string leaseName, LeaderElectionOptions options, TimeProvider timeProvider, ILogger<LeaderElector>? logger = null)
    {
        options.Validate();
        ArgumentException.ThrowIfNullOrWhiteSpace(leaseName);
        if (leases.Namespace is null)
        {
            throw new ArgumentException("A Lease is namespaced: bind the client to a namespace with InNamespace(...).", nameof(leases));
        }

        _leases = leases;
        _leaseName = leaseName;
        _lease = $"{leases.Namespace}/{leaseName}";
        _options = options;
        _time = timeProvider;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>How one try to acquire or renew the lease ended: Failed means the API could not be reached or refused the write.</summary>
    private enum LeaseAttempt
    {
        Held,
        HeldByOther,
        Failed,
    }

    public string Identity => _options.Identity;

    /// <summary>True from acquisition until the moment leadership ends (lost, released or shut down).</summary>
    public bool IsLeader => _leadershipSource is { IsCancellationRequested: false };

    /// <summary>The holder of the lease as last observed, or null if free or never read.</summary>
    public string? ObservedLeader => HolderOf(_observedLease);

    /// <summary>
    /// Waits to acquire the lease, then runs <paramref name="onStartedLeading"/> with a token that is
    /// cancelled the moment leadership ends: renewal failing for longer than RenewDeadline, another
    /// holder seen, or <paramref name="cancellationToken"/> cancelled. Returns once the callback has
    /// finished after leadership ended (releasing the lease on shutdown). Returns without running the
    /// callback if cancelled before acquiring. If the callback returns or throws while still leading,
    /// leadership is given up and its exception is rethrown. Call again to stand for election again.
    /// </summary>
    public async Task RunAsync(Func<CancellationToken, Task> onStartedLeading, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            throw new InvalidOperationException("This elector is already running.");
        }

        try
        {
            _logger.LogInformation("Attempting to acquire lease {Lease} as {Identity}", _lease, Identity);
            while (!cancellationToken.IsCancellationRequested)
            {
                var attemptStart = _time.GetTimestamp();
                if (await TryAcquireOrRenewAsync(cancellationToken) == LeaseAttempt.Held)
                {
                    await LeadAsync(onStartedLeading, attemptStart, cancellationToken);
                    return;
                }

                var retry = _options.RetryPeriod * (1 + (Random.Shared.NextDouble() * _options.JitterFactor));
                await Task.Delay(retry, _time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        finally
        {
            _leadershipSource = null;
            Volatile.Write(ref _running, 0);
        }
    }

    private async Task LeadAsync(Func<CancellationToken, Task> onStartedLeading, long acquiredAt, CancellationToken cancellationToken)
    {
        // The leadership token expires by itself RenewDeadline after the last successful write began,
        // so it is cancelled at that instant even while a renewal call hangs.
        using var leadership = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
        if (!ExtendLeadership(leadership, acquiredAt))
        {
            return;
        }

        using var shutdown = cancellationToken.Register(static state => ((CancellationTokenSource)state!).Cancel(), leadership);
        if (leadership.IsCancellationRequested)
        {
            // Shut down between acquiring and starting: hand the lease straight back.
            await ReleaseAsync();
            return;
        }

        _leadershipSource = leadership;
        _logger.LogInformation("Acquired lease {Lease} as {Identity}: started leading", _lease, Identity);

        var work = Task.Run(() => onStartedLeading(leadership.Token), CancellationToken.None);
        await RenewWhileLeadingAsync(leadership, work, cancellationToken);
        var workEndedLeadership = work.IsCompleted && !leadership.IsCancellationRequested;
        StopLeading(leadership);

        // Wait for the workers to stop before anyone else may take over through a release.
        await work.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _logger.LogInformation("Stopped leading on lease {Lease} as {Identity}", _lease, Identity);
        _leadershipSource = null;
        if (cancellationToken.IsCancellationRequested || workEndedLeadership)
        {
            await ReleaseAsync();
        }

        // Cancellation is the normal way for the callback to end when leadership ends; any other end is rethrown.
        if (work.IsFaulted || (work.IsCanceled && workEndedLeadership))
        {
            await work;
        }
    }

    private async Task RenewWhileLeadingAsync(CancellationTokenSource leadership, Task work, CancellationToken shutdown)
    {
        while (!leadership.IsCancellationRequested)
        {
            await Task.WhenAny(Task.Delay(_options.RetryPeriod, _time, leadership.Token), work);
            if (work.IsCompleted || leadership.IsCancellationRequested)
            {
                return;
            }

            var attemptStart = _time.GetTimestamp();
            switch (await TryAcquireOrRenewAsync(leadership.Token))
            {
                case LeaseAttempt.Held when !ExtendLeadership(leadership, attemptStart):
                    return;
                case LeaseAttempt.HeldByOther:
                    // Someone else holds the lease: waiting out the renew deadline would mean two leaders.
                    _logger.LogWarning("Lease {Lease}: {Identity} found it held by {Holder}; leadership lost", _lease, Identity, ObservedLeader);
                    StopLeading(leadership);
                    return;
            }

            // After a failure, keep trying: the leadership token runs out by itself at the renew deadline.
        }

        if (!shutdown.IsCancellationRequested)
        {
            _logger.LogWarning("Lease {Lease}: {Identity} could not renew within {RenewDeadline}; leadership lost", _lease, Identity, _options.RenewDeadline);
        }
    }

    /// <summary>Moves the leadership deadline to RenewDeadline after <paramref name="writeStarted"/>; false if already past.</summary>
    private bool ExtendLeadership(CancellationTokenSource leadership, long writeStarted)
    {
        var remaining = _options.RenewDeadline - _time.GetElapsedTime(writeStarted);
        if (remaining <= TimeSpan.Zero)
        {
            StopLeading(leadership);
            return false;
        }

        leadership.CancelAfter(remaining);
        return !leadership.IsCancellationRequested;
    }

    private async Task<LeaseAttempt> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        for (var conflicts = 0; ; conflicts++)
        {
            try
            {
                return await TryOnceAsync(cancellationToken);
            }
            catch (KubernetesApiException e) when ((e.IsConflict || e.IsAlreadyExists) && conflicts == 0)
            {
                // Someone wrote (or created) it between our read and our write: re-read at once and judge again, once.
                LogConflict();
            }
            catch (Exception ex)
            {
                if (!cancellationToken.IsCancellationRequested)
                {
                    _logger.LogWarning(ex, "Lease {Lease}: {Identity} failed to acquire or renew", _lease, Identity);
                }

                return LeaseAttempt.Failed;
            }
        }
    }

    private async Task<LeaseAttempt> TryOnceAsync(CancellationToken cancellationToken)
    {
        var now = MicroTime(_time.GetUtcNow());
        var current = await _leases.GetOrDefaultAsync(_leaseName, cancellationToken);
        if (current is null)
        {
            var created = new V1Lease { Metadata = new V1ObjectMeta { Name = _leaseName }, Spec = Spec(Identity, now, now, 0) };
            Observe(await _leases.CreateAsync(created, cancellationToken));
            return LeaseAttempt.Held;
        }

        Observe(current);
        var spec = current.Spec ?? new V1LeaseSpec();
        var heldByMe = spec.HolderIdentity == Identity;
        if (HolderOf(current) is not null && !heldByMe && !ExpiredByLocalObservation(spec))
        {
            return LeaseAttempt.HeldByOther;
        }

        // Renewing keeps the acquisition; taking over (an expired or released lease) is a transition.
        var next = heldByMe
            ? Spec(Identity, spec.AcquireTime ?? now, now, spec.LeaseTransitions ?? 0)
            : Spec(Identity, now, now, (spec.LeaseTransitions ?? 0) + 1);
        Observe(await _leases.ReplaceAsync(Replacing(current, next), cancellationToken));
        return LeaseAttempt.Held;
    }

    /// <summary>
    /// Kubernetes' MicroTime keeps microseconds (acquireTime and renewTime of a Lease). Truncating before writing keeps
    /// a record read back equal to the one written, so re-reading our own write is not mistaken for a change by someone
    /// else. The wire format is the client's concern.
    /// </summary>
    internal static DateTime MicroTime(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerMicrosecond), DateTimeKind.Utc);

    private V1LeaseSpec Spec(string? holder, DateTime acquired, DateTime renewed, int transitions, int? durationSeconds = null) => new()
    {
        HolderIdentity = holder,
        LeaseDurationSeconds = durationSeconds ?? (int)_options.LeaseDuration.TotalSeconds,
        AcquireTime = acquired,
        RenewTime = renewed,
        LeaseTransitions = transitions,
    };

    /// <summary>
    /// The lease as read, with a new spec: its resourceVersion makes the write conditional. The library's models are
    /// mutable classes, so the metadata is copied, not changed; managedFields are the server's to write.
    /// </summary>
    private static V1Lease Replacing(V1Lease current, V1LeaseSpec spec)
    {
        var metadata = KubernetesJson.Deserialize<V1ObjectMeta>(KubernetesJson.Serialize(current.Metadata));
        metadata.ManagedFields = null;
        return new V1Lease { Metadata = metadata, Spec = spec };
    }

    private static string? HolderOf(V1Lease? lease) =>
        string.IsNullOrEmpty(lease?.Spec?.HolderIdentity) ? null : lease.Spec.HolderIdentity;

    private bool ExpiredByLocalObservation(V1LeaseSpec current) =>
        _time.GetElapsedTime(_observedAt) >= TimeSpan.FromSeconds(current.LeaseDurationSeconds ?? 0);

    /// <summary>Remembers the lease, restarting the local expiry clock only when its spec changed.</summary>
    private void Observe(V1Lease lease)
    {
        // A changed spec means the holder wrote the lease; the resourceVersion is left out, since a write that changes
        // nothing else (someone else's update) is not a renewal.
        if (lease.Spec is null || _observedLease?.Spec is not { } observed || KubernetesJson.Serialize(lease.Spec) != KubernetesJson.Serialize(observed))
        {
            _observedAt = _time.GetTimestamp();
        }

        _observedLease = lease;
        if (HolderOf(lease) is { } holder && holder != _reportedLeader)
        {
            _reportedLeader = holder;
            _logger.LogInformation("Lease {Lease}: new leader {Leader}", _lease, holder);
        }
    }

    /// <summary>Cancels the leadership token; a failing cancellation callback of the work must not stop the elector.</summary>
    private void StopLeading(CancellationTokenSource leadership)
    {
        try
        {
            leadership.Cancel();
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Lease {Lease}: a leadership cancellation callback failed", _lease);
        }
    }

    /// <summary>Gives the lease up (on shutdown) so a successor need not wait for it to expire.</summary>
    private async Task ReleaseAsync()
    {
        if (ObservedLeader != Identity)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(_options.RenewDeadline, _time);
        try
        {
            // Read first, as client-go does: a renewal cut short by the shutdown may have landed on the server after all,
            // and releasing from our older copy would meet a 409 and leave the successor to wait out the lease.
            var current = await _leases.GetOrDefaultAsync(_leaseName, timeout.Token);
            if (current is null || HolderOf(current) != Identity)
            {
                return;
            }

            // As client-go: no holder and a 1 s duration, so the next candidate takes over on its next try.
            var now = MicroTime(_time.GetUtcNow());
            var released = Spec(null, now, now, current.Spec?.LeaseTransitions ?? 0, durationSeconds: 1);
            Observe(await _leases.ReplaceAsync(Replacing(current, released), timeout.Token));
            _logger.LogInformation("Lease {Lease}: {Identity} released it", _lease, Identity);
        }
        catch (KubernetesApiException e) when (e.IsConflict)
        {
            // Someone else wrote the lease between our read and our write: it is not ours to release.
            LogConflict();
        }
        catch (Exception ex)
        {
            // The lease will expire by itself; a failed release only delays the successor.
            _logger.LogWarning(ex, "Lease {Lease}: {Identity} failed to release it; it will expire", _lease, Identity);
        }
    }

    private void LogConflict() =>
        _logger.LogDebug("Lease {Lease}: conflicting write while {Identity} updated it; re-reading", _lease, Identity);
}
