using ConsoleOperator.Api.Tokens;
using ConsoleOperator.Kube.Runtime.Apply;
using ConsoleOperator.Kube.Runtime.Entities;

namespace ConsoleOperator.Controllers.ConsoleTokens;

/// <summary>
/// On deletion of a ConsoleToken: revokes its hash (deleted and published: live sessions close with 4001) while the
/// token could still be live, then lets go of its Secret. The runtime removes the finalizer when this returned; when
/// the store is down this throws <see cref="ConsoleProxy.Tokens.Store.TokenStoreUnavailableException"/> and the
/// finalizer stays until the revocation went through. An ended token has nothing to revoke.
/// </summary>
public sealed class ConsoleTokenFinalizer : IEntityFinalizer<ConsoleTokenResource>
{
    private readonly ConsoleTokenSecrets _secrets;
    private readonly ConsoleTokenRevoker _revoker;
    private readonly ConsoleTokenRecorder _recorder;

    public ConsoleTokenFinalizer(ConsoleTokenSecrets secrets, ConsoleTokenRevoker revoker, ConsoleTokenRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(revoker);
        ArgumentNullException.ThrowIfNull(recorder);
        _secrets = secrets;
        _revoker = revoker;
        _recorder = recorder;
    }

    public async Task FinalizeAsync(ConsoleTokenResource entity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var secret = await _secrets.FindAsync(entity, lookUpServer: true, cancellationToken);
        var minted = secret is not null && OwnerReferences.IsControlledBy(secret, entity) ? ConsoleTokenSecret.Read(secret, out _) : null;
        if (minted is not null && !ConsoleTokenDecisions.IsEnded(entity) && await _revoker.RevokeAsync(entity, minted, cancellationToken))
        {
            _recorder.Revoked(entity, minted);
        }

        await _secrets.ReleaseAsync(entity, secret, cancellationToken);
    }
}
