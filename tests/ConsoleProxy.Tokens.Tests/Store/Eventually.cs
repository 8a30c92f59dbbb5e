namespace ConsoleProxy.Tokens.Tests.Store;

/// <summary>Polls a condition until it holds or a deadline passes; every wait in these tests is bounded.</summary>
public static class Eventually
{
    public static async Task<bool> HoldsAsync(Func<Task<bool>> condition, TimeSpan within)
    {
        var deadline = DateTimeOffset.UtcNow + within;
        while (true)
        {
            if (await condition())
            {
                return true;
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(50);
        }
    }
}
