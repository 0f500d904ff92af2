using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Net;

namespace Minuet.DataPlane.L4lb.Kernel;

/// <summary>One local IPv4 address and the subnet it is on, host byte order.</summary>
internal readonly record struct LocalSubnet(uint Address, uint Mask)
{
    public bool Contains(uint address) => (address & Mask) == (Address & Mask);
}

/// <summary>
/// Decides the hairpin source NAT for a balanced SYN. The rule: when the client is not this host, and the client
/// and the backend are on the same subnet as one of this host's addresses (the same bridge, or the same task
/// reaching its own VIP), the backend would answer the client directly over that subnet, bypassing the NAT, and
/// the client would reset a reply from an address it never called. So the entry also source-NATs to this host's
/// address on that subnet (e.g. the bridge IP): the reply comes back through us. A local client (OUTPUT path)
/// needs nothing, every reply already passes through this host. The table is immutable and swapped whole, so
/// the lookup on the SYN path is a loop over a small array, without locks or allocation.
/// </summary>
internal sealed class HairpinSnat
{
    private LocalSubnet[] _subnets = [];

    public IReadOnlyList<LocalSubnet> Subnets => Volatile.Read(ref _subnets);

    public void Update(ImmutableArray<LocalSubnet> subnets) => Volatile.Write(ref _subnets, [.. subnets]);

    /// <summary>The address to source-NAT to, or 0 for none.</summary>
    public uint SourceFor(uint client, uint backend)
    {
        var subnets = Volatile.Read(ref _subnets);
        foreach (var local in subnets)
        {
            if (local.Address == client)
            {
                return 0;
            }
        }

        foreach (var local in subnets)
        {
            if (local.Mask != 0 && local.Contains(client) && local.Contains(backend))
            {
                return local.Address;
            }
        }

        return 0;
    }

    /// <summary>
    /// Reads <c>ip -4 -o addr show</c> output ("3: br0    inet 198.18.60.1/24 brd ... scope global br0").
    /// Lines that do not parse are skipped: a missing subnet only means no hairpin SNAT through it.
    /// </summary>
    public static ImmutableArray<LocalSubnet> Parse(string ipAddrOutput)
    {
        var result = ImmutableArray.CreateBuilder<LocalSubnet>();
        foreach (var line in ipAddrOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var tokens = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            int inet = Array.IndexOf(tokens, "inet");
            if (inet < 0 || inet + 1 >= tokens.Length)
            {
                continue;
            }

            var cidr = tokens[inet + 1].Split('/');
            if (!IPAddress.TryParse(cidr[0], out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
            {
                continue;
            }

            int prefix = 32;
            if (cidr.Length > 1 && (!int.TryParse(cidr[1], System.Globalization.CultureInfo.InvariantCulture, out prefix) || prefix is < 0 or > 32))
            {
                continue;
            }

            uint mask = prefix == 0 ? 0 : uint.MaxValue << (32 - prefix);
            result.Add(new LocalSubnet(BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes()), mask));
        }

        return result.ToImmutable();
    }
}
