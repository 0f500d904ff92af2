using System.Buffers.Binary;
using Minuet.DataPlane.Dns.Codec;
using Minuet.DataPlane.Dns.Records;

namespace Minuet.DataPlane.Dns.Answers;

internal static partial class DnsAnswerCompiler
{
    /// <summary>
    /// Per-compile state: the record set, encoded names, and one scratch buffer reused for every answer. A full compile
    /// uses one for the whole set; lazy compiles reuse one per thread, bound to a set only while compiling one name.
    /// </summary>
    private sealed class CompileContext
    {
        private readonly Dictionary<string, byte[]?> _wire = new(StringComparer.Ordinal);
        private readonly Dictionary<string, RecordSpec[]> _addresses = new(StringComparer.Ordinal);
        private readonly Dictionary<System.Net.IPAddress, byte[]> _addressBytes = [];
        private readonly byte[] _scratch = new byte[ushort.MaxValue];
        private readonly AnswerArena _arena;
        private byte[] _staging = new byte[ushort.MaxValue];
        private readonly ushort[] _labels = new ushort[4096];

        // Record end offsets of the answer being written; a record is at least 11 bytes, so a 64 KiB message has fewer.
        private readonly ushort[] _ends = new ushort[ushort.MaxValue / 11];
        private DnsRecordSet _records;
        private byte[] _mname;
        private byte[] _rname;

        public CompileContext(DnsRecordSet records, int arenaChunkSize = AnswerArena.DefaultChunkSize)
        {
            _arena = new AnswerArena(arenaChunkSize);
            _records = records;
            _mname = DnsName.Encode(records.Zone.SoaMname);
            _rname = DnsName.Encode(records.Zone.SoaRname);
        }

        /// <summary>Lets go of the bound set, so an idle thread's context keeps no old snapshot alive.</summary>
        public void Release(DnsRecordSet placeholder)
        {
            _records = placeholder;
            _wire.Clear();
            _addresses.Clear();
            if (_addressBytes.Count > 4096)
            {
                _addressBytes.Clear();
            }
        }

        /// <summary>
        /// Points a reused context at <paramref name="set"/> and forgets what it cached for another set (target
        /// addresses are the set's, so they must not leak from one snapshot into the next).
        /// </summary>
        public void Bind(DnsRecordSet set)
        {
            if (!ReferenceEquals(_records, set))
            {
                _wire.Clear();
                _addresses.Clear();
                _records = set;
                _mname = DnsName.Encode(set.Zone.SoaMname);
                _rname = DnsName.Encode(set.Zone.SoaRname);
            }
        }

        public byte[]? Wire(string name)
        {
            if (!_wire.TryGetValue(name, out var wire))
            {
                Span<byte> buffer = stackalloc byte[DnsName.MaxLength + 1];
                wire = DnsName.TryEncode(name, buffer, out int length) ? buffer[..length].ToArray() : null;
                _wire[name] = wire;
            }

            return wire;
        }

        public DnsNameEntry CompileName(byte[] owner, int zone, DnsNameRecords data, bool isApex, object? scope = null)
        {
            uint ttl = (uint)Math.Max(0, data.Ttl);
            uint zoneTtl = (uint)Math.Max(0, _records.Zone.Ttl);
            var a = AddressSpecs(owner, DnsRecordType.A, ttl, data.A);
            var aaaa = AddressSpecs(owner, DnsRecordType.Aaaa, ttl, data.Aaaa);
            var srv = SrvSpecs(owner, ttl, data.Srv);
            RecordSpec[] soa = isApex
                ? [new RecordSpec(owner, DnsRecordType.Soa, zoneTtl, [], [_mname, _rname], true, SoaNumbers(_records.Zone))]
                : [];
            RecordSpec[] ns = isApex ? [new RecordSpec(owner, DnsRecordType.Ns, zoneTtl, [], [_mname], true, []) { TargetText = _records.Zone.SoaMname }] : [];

            var aAnswer = Build(owner, DnsRecordType.A, a, NoAdditionals);
            var aaaaAnswer = Build(owner, DnsRecordType.Aaaa, aaaa, NoAdditionals);
            var srvAnswer = Build(owner, DnsRecordType.Srv, srv, TargetAddresses);
            int kinds = (a.Length > 0 ? 1 : 0) + (aaaa.Length > 0 ? 1 : 0) + (srv.Length > 0 ? 1 : 0);
            // The responder writes the query type into every reply, so ANY can share the answer of a name's only
            // type (most names have just one); only mixed names and apexes get their own.
            var any = !isApex && kinds == 1
                ? aAnswer ?? aaaaAnswer ?? srvAnswer
                : Build(owner, DnsRecordType.Any, [.. soa, .. ns, .. a, .. aaaa, .. srv], NoAdditionals, rotate: false);
            return new DnsNameEntry
            {
                ZoneIndex = zone,
                Scope = scope,
                A = aAnswer,
                Aaaa = aaaaAnswer,
                Srv = srvAnswer,
                Soa = Build(owner, DnsRecordType.Soa, soa, NoAdditionals),
                Ns = Build(owner, DnsRecordType.Ns, ns, TargetAddresses),
                Any = any,
            };
        }

        private RecordSpec[] AddressSpecs(byte[] owner, DnsRecordType type, uint ttl, System.Collections.Immutable.ImmutableArray<System.Net.IPAddress> ips)
        {
            if (ips.IsDefaultOrEmpty)
            {
                return [];
            }

            var specs = new RecordSpec[ips.Length];
            for (int i = 0; i < specs.Length; i++)
            {
                specs[i] = RecordSpec.Fixed(owner, type, ttl, CachedAddressBytes(ips[i]));
            }

            return specs;
        }

        private RecordSpec[] SrvSpecs(byte[] owner, uint ttl, System.Collections.Immutable.ImmutableArray<SrvValue> values)
        {
            if (values.IsDefaultOrEmpty)
            {
                return [];
            }

            var specs = new List<RecordSpec>(values.Length);
            foreach (var value in values)
            {
                if (SrvSpec(owner, ttl, value) is { } spec)
                {
                    specs.Add(spec);
                }
            }

            return [.. specs];
        }

        // Agent addresses recur under many names; RDATA bytes are immutable, so one array per address serves all.
        private byte[] CachedAddressBytes(System.Net.IPAddress ip)
        {
            if (!_addressBytes.TryGetValue(ip, out var bytes))
            {
                bytes = AddressBytes(ip);
                _addressBytes[ip] = bytes;
            }

            return bytes;
        }

        private RecordSpec? SrvSpec(byte[] owner, uint ttl, SrvValue value)
        {
            var target = Wire(value.Target);
            if (target is null)
            {
                return null;
            }

            var fixedPart = new byte[6];
            BinaryPrimitives.WriteUInt16BigEndian(fixedPart.AsSpan(2), _records.Zone.SrvWeight);
            BinaryPrimitives.WriteUInt16BigEndian(fixedPart.AsSpan(4), value.Port);
            // RFC 2782: the SRV target is never compressed (it may still be a compression target for what follows).
            return new RecordSpec(owner, DnsRecordType.Srv, ttl, fixedPart, [target], false, []) { TargetText = value.Target };
        }

        // The A/AAAA records of each distinct SRV/NS target, in answer order, so clients need no second lookup.
        private List<RecordSpec> TargetAddresses(IReadOnlyList<RecordSpec> answers)
        {
            var extra = new List<RecordSpec>();
            for (int i = 0; i < answers.Count; i++)
            {
                string? target = answers[i].TargetText;
                bool repeated = false;
                for (int j = 0; j < i && !repeated; j++)
                {
                    repeated = answers[j].TargetText == target;
                }

                if (target is not null && !repeated)
                {
                    extra.AddRange(AddressesOf(target, answers[i].Names[0]));
                }
            }

            return extra;
        }

        // Targets recur across many SRV names (_tcp/_udp, .slave twins): their address records are built once.
        private RecordSpec[] AddressesOf(string target, byte[] targetWire)
        {
            if (_addresses.TryGetValue(target, out var cached))
            {
                return cached;
            }

            var list = new List<RecordSpec>();
            if (_records.Names.TryGetValue(target, out var targetData))
            {
                uint ttl = (uint)Math.Max(0, targetData.Ttl);
                foreach (var ip in targetData.A)
                {
                    list.Add(RecordSpec.Fixed(targetWire, DnsRecordType.A, ttl, CachedAddressBytes(ip)));
                }

                foreach (var ip in targetData.Aaaa)
                {
                    list.Add(RecordSpec.Fixed(targetWire, DnsRecordType.Aaaa, ttl, CachedAddressBytes(ip)));
                }
            }

            cached = [.. list];
            _addresses[target] = cached;
            return cached;
        }

        private static readonly List<RecordSpec> None = [];

        // Shared and never written to: Write only reads the additional list.
        private static List<RecordSpec> NoAdditionals(IReadOnlyList<RecordSpec> answers) => None;

        private CompiledAnswer? Build(
            byte[] owner, DnsRecordType qtype, RecordSpec[] answers, Func<IReadOnlyList<RecordSpec>, List<RecordSpec>> additionals, bool rotate = true)
        {
            if (answers.Length == 0)
            {
                return null;
            }

            int rotations = rotate ? Math.Min(answers.Length, MaxRotations) : 1;
            ushort an = 0, ar = 0;
            int questionEnd = 0;
            int staged = 0;
            var ordered = rotations == 1 ? answers : new RecordSpec[answers.Length];
            for (int r = 0; r < rotations; r++)
            {
                int start = r * answers.Length / rotations;
                for (int i = 0; i < answers.Length && rotations > 1; i++)
                {
                    ordered[i] = answers[(start + i) % answers.Length];
                }

                int wireLength = Write(owner, qtype, ordered, additionals(ordered), out an, out ar, out questionEnd);
                int size = CompiledAnswer.EncodedSize(wireLength, an + ar);
                if (_staging.Length - staged < size)
                {
                    Array.Resize(ref _staging, Math.Max(_staging.Length * 2, staged + size));
                }

                staged += CompiledAnswer.Encode(_scratch.AsSpan(0, wireLength), _ends.AsSpan(0, an + ar), _staging.AsSpan(staged));
            }

            byte[] chunk = _arena.Add(_staging.AsSpan(0, staged), out int offset);
            return new CompiledAnswer(chunk, offset, rotations, an, 0, ar, questionEnd);
        }

        // Writes one rotation into _scratch (record ends into _ends) and returns its length.
        private int Write(
            byte[] owner, DnsRecordType qtype, RecordSpec[] answers, List<RecordSpec> additionals, out ushort an, out ushort ar, out int questionEnd)
        {
            var writer = new DnsMessageWriter(_scratch, _labels);
            writer.WriteHeader(new DnsHeader(0, DnsHeader.FlagQr | DnsHeader.FlagAa, 1, 0, 0, 0));
            // The question is patched with the client's spelling per query: only the whole name may be pointed at
            // (answer owners), never its suffixes, or the client's letter case would leak into other names' RDATA.
            writer.WriteName(owner, compress: false, offer: false);
            writer.AddWholeNameTarget(DnsHeader.Size);
            writer.WriteUInt16((ushort)qtype);
            writer.WriteUInt16(ClassIn);
            questionEnd = writer.Length;
            an = 0;
            ar = 0;
            int good = writer.Length;
            int total = answers.Length + additionals.Count;
            // Answers longer than a TCP message are cut here, at a record boundary, like any other truncation.
            for (int i = 0; i < total; i++)
            {
                WriteRecord(ref writer, i < answers.Length ? answers[i] : additionals[i - answers.Length]);
                if (writer.Overflowed)
                {
                    break;
                }

                good = writer.Length;
                _ends[i] = (ushort)good;
                if (i < answers.Length)
                {
                    an++;
                }
                else
                {
                    ar++;
                }
            }

            BinaryPrimitives.WriteUInt16BigEndian(_scratch.AsSpan(6), an);
            BinaryPrimitives.WriteUInt16BigEndian(_scratch.AsSpan(10), ar);
            return good;
        }

        private static void WriteRecord(ref DnsMessageWriter writer, RecordSpec spec)
        {
            int lengthAt = writer.BeginRecord(spec.Owner, spec.Type, ClassIn, spec.Ttl);
            writer.WriteBytes(spec.Prefix);
            foreach (var name in spec.Names)
            {
                writer.WriteName(name, spec.CompressNames);
            }

            writer.WriteBytes(spec.Suffix);
            writer.EndRdata(lengthAt);
        }
    }
}
