namespace ConsoleOperator.Kube.Runtime.Informers;

/// <summary>
/// Exponential backoff between failed lists and watches: the step doubles from the initial delay up to the maximum,
/// and each delay is spread by a random jitter so informers that failed together do not retry together. Delays always
/// stay within [initial, max]. Not thread-safe: one reflector loop owns one backoff.
/// </summary>
public sealed class JitteredBackoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private readonly double _jitter;
    private readonly Func<double> _random;
    private TimeSpan _step;

    /// <param name="random">A source of doubles in [0, 1) (tests pin it; production uses <see cref="Random.Shared"/>).</param>
    public JitteredBackoff(TimeSpan initial, TimeSpan max, double jitter, Func<double>? random = null)
    {
        if (initial <= TimeSpan.Zero || max < initial)
        {
            throw new ArgumentException($"The backoff range [{initial}, {max}] must be positive and not empty.", nameof(initial));
        }

        if (!(jitter >= 0 && jitter < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(jitter), jitter, "The jitter must be in [0, 1).");
        }

        _initial = initial;
        _max = max;
        _jitter = jitter;
        _random = random ?? Random.Shared.NextDouble;
        _step = initial;
    }

    /// <summary>The delay before the next retry; each call doubles the next step until the maximum.</summary>
    public TimeSpan Next()
    {
        var current = _step;
        _step = current >= _max / 2 ? _max : current * 2;
        var spread = 1 + (_jitter * ((2 * _random()) - 1));
        var delay = current * spread;
        return delay < _initial ? _initial : delay > _max ? _max : delay;
    }

    /// <summary>Things work again: the next failure starts from the initial delay.</summary>
    public void Reset() => _step = _initial;
}
