namespace ConsoleOperator.Builders.TokenStore;

/// <summary>The managed Redis's port, on the container and on its Service.</summary>
public static class RedisPort
{
    public const int Number = 6379;

    public const string Name = "redis";
}
