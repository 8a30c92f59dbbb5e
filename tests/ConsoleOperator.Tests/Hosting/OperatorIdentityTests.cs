using ConsoleOperator.Hosting;

namespace ConsoleOperator.Tests.Hosting;

public sealed class OperatorIdentityTests
{
    [Fact]
    public void The_pod_name_is_the_identity_in_a_cluster()
    {
        Assert.Equal("console-operator-7d9f-abcde", OperatorIdentity.Resolve(name => name == "POD_NAME" ? "console-operator-7d9f-abcde" : null));
    }

    [Fact]
    public void Without_a_pod_name_two_processes_on_one_host_get_different_identities()
    {
        var first = OperatorIdentity.Resolve(_ => null);
        var second = OperatorIdentity.Resolve(_ => null);

        Assert.StartsWith(Environment.MachineName + "_", first, StringComparison.Ordinal);
        Assert.NotEqual(first, second);
    }
}
