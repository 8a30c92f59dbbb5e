using FsCheck;
using FsCheck.Fluent;

namespace ConsoleOperator.Kube.Tests.Runtime;

/// <summary>
/// FsCheck properties whose body is asynchronous. FsCheck waits for the task itself; the body runs
/// on the thread pool so its continuations never queue behind the test runner's blocked thread.
/// </summary>
public static class AsyncProperty
{
    public static Property ForAll<T>(Arbitrary<T> arbitrary, Func<T, Task<bool>> body) =>
        Prop.ForAll(arbitrary, value => Task.Run(() => body(value)));
}
