namespace ConsoleProxy.Benchmarks.Fleet;

/// <summary>Something the <see cref="PacingWheel"/> fires at its due times: one direction of one live console.</summary>
public interface IPaced
{
    /// <summary>Does what was due at <paramref name="dueMicros"/> (on the wheel's thread) and says when it is due next.</summary>
    long Fire(long dueMicros);
}
