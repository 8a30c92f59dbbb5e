using System.Globalization;

namespace TestKit.FakeApiServer;

/// <summary>Hands out ClusterIPs from 10.0.0.0/24 (the recorded server's <c>--service-cluster-ip-range</c>).</summary>
public sealed class ServiceIpAllocator
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _used = [];
    private int _next = 10;

    public string Allocate()
    {
        lock (_gate)
        {
            for (var attempt = 0; attempt < 254; attempt++)
            {
                var candidate = "10.0.0." + _next.ToString(CultureInfo.InvariantCulture);
                _next = _next >= 254 ? 2 : _next + 1;
                if (_used.Add(candidate))
                {
                    return candidate;
                }
            }

            throw StatusErrors.Failure(500, "InternalError", "Internal error occurred: failed to allocate a serviceIP: range is full");
        }
    }

    public void Reserve(string ip)
    {
        lock (_gate)
        {
            _used.Add(ip);
        }
    }
}
