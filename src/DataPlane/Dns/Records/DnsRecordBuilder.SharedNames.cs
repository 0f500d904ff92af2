namespace Minuet.DataPlane.Dns.Records;

public sealed partial class DnsRecordBuilder
{
    // Names every task of one app shares; building them once per app instead of once per task saves most of the
    // string work of a 10,000-task build. The cache lives for one build (the builder itself stays stateless).
    private SharedNames SharedNamesFor(Dictionary<(string Label, string Framework), SharedNames> cache, string label, string framework)
    {
        if (!cache.TryGetValue((label, framework), out var names))
        {
            // The framework's tails are the same strings for all its apps (100,000 fewer strings at 100,000 tasks).
            names = cache.TryGetValue((string.Empty, framework), out var tails)
                ? new SharedNames(label, tails)
                : SharedNames.First(label, framework, _tail);
            cache[(label, framework)] = names;
            cache.TryAdd((string.Empty, framework), names);
        }

        return names;
    }

    /// <summary>The owner names derived from one (task label, framework fragment) pair.</summary>
    private sealed class SharedNames
    {
        public static SharedNames First(string label, string framework, string tail) =>
            new(label, "." + framework + tail, "." + framework + ".slave" + tail);

        public SharedNames(string label, SharedNames sameFramework)
            : this(label, sameFramework.FrameworkTail, sameFramework.FrameworkSlaveTail)
        {
        }

        private SharedNames(string label, string frameworkTail, string frameworkSlaveTail)
        {
            FrameworkTail = frameworkTail;
            FrameworkSlaveTail = frameworkSlaveTail;
            Name = label + FrameworkTail;
            SlaveName = label + FrameworkSlaveTail;
            Tcp = "_" + label + "._tcp" + FrameworkTail;
            Udp = "_" + label + "._udp" + FrameworkTail;
            TcpSlave = "_" + label + "._tcp" + FrameworkSlaveTail;
            UdpSlave = "_" + label + "._udp" + FrameworkSlaveTail;
        }

        /// <summary><c>.f.D</c></summary>
        public string FrameworkTail { get; }

        /// <summary><c>.f.slave.D</c></summary>
        public string FrameworkSlaveTail { get; }

        /// <summary><c>t.f.D</c></summary>
        public string Name { get; }

        /// <summary><c>t.f.slave.D</c></summary>
        public string SlaveName { get; }

        /// <summary><c>_t._tcp.f.D</c></summary>
        public string Tcp { get; }

        public string Udp { get; }

        /// <summary><c>_t._tcp.f.slave.D</c></summary>
        public string TcpSlave { get; }

        public string UdpSlave { get; }
    }

    /// <summary>Caches and buffers the task records of one build (or one delta) share.</summary>
    private sealed class TaskScratch(DnsLabelSpec spec)
    {
        public List<System.Net.IPAddress> TaskIps { get; } = new(4);

        public LabelCache Labels { get; } = new(spec);

        public Dictionary<(string Label, string Framework), SharedNames> SharedNames { get; } = [];

        public Dictionary<string, string> AgentTails { get; } = new(StringComparer.Ordinal);

        public void Clear()
        {
            Labels.Clear();
            SharedNames.Clear();
            AgentTails.Clear();
        }
    }

    /// <summary>Sanitised labels by raw name: the tasks of one app share a name, so each is mangled once per build.</summary>
    private sealed class LabelCache(DnsLabelSpec spec)
    {
        private readonly Dictionary<string, string> _labels = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string?> _raw = new(StringComparer.Ordinal);

        public void Clear()
        {
            _labels.Clear();
            _raw.Clear();
        }

        /// <summary>A raw DiscoveryInfo name lower-cased, or null when it could not travel in a DNS packet; once per app.</summary>
        public string? RawName(string name)
        {
            ref string? slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_raw, name, out bool exists);
            if (!exists)
            {
                string lower = name.ToLowerInvariant();
                slot = IsEncodableName(lower) ? lower : null;
            }

            return slot;
        }

        public string Sanitize(string name)
        {
            if (!_labels.TryGetValue(name, out var label))
            {
                label = DnsLabels.Sanitize(name, spec);
                _labels[name] = label;
            }

            return label;
        }
    }
}
