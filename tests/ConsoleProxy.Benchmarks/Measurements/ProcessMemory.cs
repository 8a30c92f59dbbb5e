using System.Globalization;

namespace ConsoleProxy.Benchmarks.Measurements;

/// <summary>
/// What a relay's processes use, read from /proc and summed over the process and all its
/// descendants (websockify forks a child per connection). Memory is the proportional set size
/// (PSS, /proc/PID/smaps_rollup): shared pages are divided among their users, so the sum is the
/// true total. CPU is user + system time (/proc/PID/stat), which stays meaningful on a busy
/// machine where wall-clock throughput mostly says how much CPU the relay was given.
/// </summary>
public static class ProcessMemory
{
    private const double ClockTicksPerSecond = 100;

    public static long PssBytesOfTree(int rootPid) => SumOverTree(rootPid, PssBytes);

    /// <summary>CPU seconds (user + system) used so far by the live processes of the tree.</summary>
    public static double CpuSecondsOfTree(int rootPid) => SumOverTree(rootPid, CpuTicks) / ClockTicksPerSecond;

    /// <summary>
    /// CPU seconds (user + system) of the process itself, without children reaped: the load generator's own
    /// CPU, which must not jump when a relay it started exits.
    /// </summary>
    public static double OwnCpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields[11..13].Sum(field => long.Parse(field, CultureInfo.InvariantCulture)) / ClockTicksPerSecond;
    }

    private static long SumOverTree(int rootPid, Func<int, long> measure)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            var parent = ParentOf(pid);
            if (parent is { } ppid)
            {
                if (!children.TryGetValue(ppid, out var list))
                {
                    children[ppid] = list = [];
                }

                list.Add(pid);
            }
        }

        var total = 0L;
        var pending = new Stack<int>([rootPid]);
        while (pending.Count > 0)
        {
            var pid = pending.Pop();
            total += measure(pid);
            foreach (var child in children.GetValueOrDefault(pid) ?? [])
            {
                pending.Push(child);
            }
        }

        return total;
    }

    private static long PssBytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/smaps_rollup"))
            {
                if (line.StartsWith("Pss:", StringComparison.Ordinal))
                {
                    var kilobytes = line["Pss:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process ended while we looked.
        }

        return 0;
    }

    private static long CpuTicks(int pid)
    {
        try
        {
            // Fields after "(comm) ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
            // utime stime cutime cstime. cutime/cstime hold the CPU of children already reaped: websockify
            // forks a process per session, and one that ended during a measurement must still count.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields[11..15].Sum(field => long.Parse(field, CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }

    private static int? ParentOf(int pid)
    {
        try
        {
            // /proc/PID/stat: "pid (comm) state ppid ..."; comm may contain spaces and parentheses.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
