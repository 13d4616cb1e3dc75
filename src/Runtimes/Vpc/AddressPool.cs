using System.Net;

namespace LambdaCluster.Runtimes.Vpc;

/// <summary>
/// The addresses one subnet gives this node's environments: every address of its environment range except the subnet's
/// network and broadcast addresses and the node's own, lowest free first. Thread-safe.
/// </summary>
public sealed class AddressPool(SubnetOptions subnet)
{
    private readonly Lock _gate = new();
    private readonly HashSet<long> _taken = [];
    private readonly long _first = AddressRange.ToNumber(subnet.Environments.BaseAddress);
    private readonly long _size = AddressRange.Size(subnet.Environments);
    private readonly long _network = AddressRange.ToNumber(subnet.Network.BaseAddress);
    private readonly long _broadcast = AddressRange.ToNumber(subnet.Network.BaseAddress) + AddressRange.Size(subnet.Network) - 1;
    private readonly long _host = AddressRange.ToNumber(subnet.Host);

    /// <summary>A free address, now taken, or null when the range has none left (Lambda's SubnetIPAddressLimitReached).</summary>
    public IPAddress? Take()
    {
        lock (_gate)
        {
            for (var number = _first; number < _first + _size; number++)
            {
                if (number != _network && number != _broadcast && number != _host && _taken.Add(number))
                {
                    return AddressRange.FromNumber(number);
                }
            }

            return null;
        }
    }

    /// <summary>Gives an address back.</summary>
    public void Return(IPAddress address)
    {
        lock (_gate)
        {
            _taken.Remove(AddressRange.ToNumber(address));
        }
    }
}
