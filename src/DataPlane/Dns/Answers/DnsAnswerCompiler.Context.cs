using System.Buffers.Binary;
using Minuet.DataPlane.Dns.Codec;
using Minuet.DataPlane.Dns.Records;

namespace Minuet.DataPlane.Dns.Answers;

internal static partial class DnsAnswerCompiler
{
    /// <summary>Per-compile state: the record set, encoded names, and one scratch buffer reused for every answer.</summary>
    private sealed class CompileContext(DnsRecordSet records)
    {
        private readonly Dictionary<string, byte[]?> _wire = new(StringComparer.Ordinal);
        private readonly byte[] _scratch = new byte[ushort.MaxValue];
        private readonly ushort[] _labels = new ushort[4096];
        private readonly byte[] _mname = DnsName.Encode(records.Zone.SoaMname);
        private readonly byte[] _rname = DnsName.Encode(records.Zone.SoaRname);

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

        public DnsNameEntry CompileName(byte[] owner, int zone, DnsNameRecords data, bool isApex)
        {
            uint ttl = (uint)Math.Max(0, data.Ttl);
            uint zoneTtl = (uint)Math.Max(0, records.Zone.Ttl);
            var a = data.A.Select(ip => RecordSpec.Fixed(owner, DnsRecordType.A, ttl, AddressBytes(ip))).ToArray();
            var aaaa = data.Aaaa.Select(ip => RecordSpec.Fixed(owner, DnsRecordType.Aaaa, ttl, AddressBytes(ip))).ToArray();
            var srv = data.Srv.Select(s => SrvSpec(owner, ttl, s)).Where(s => s is not null).Select(s => s!).ToArray();
            RecordSpec[] soa = isApex
                ? [new RecordSpec(owner, DnsRecordType.Soa, zoneTtl, [], [_mname, _rname], true, SoaNumbers(records.Zone))]
                : [];
            RecordSpec[] ns = isApex ? [new RecordSpec(owner, DnsRecordType.Ns, zoneTtl, [], [_mname], true, [])] : [];

            return new DnsNameEntry
            {
                ZoneIndex = zone,
                A = Build(owner, DnsRecordType.A, a, _ => []),
                Aaaa = Build(owner, DnsRecordType.Aaaa, aaaa, _ => []),
                Srv = Build(owner, DnsRecordType.Srv, srv, SrvAdditionals),
                Soa = Build(owner, DnsRecordType.Soa, soa, _ => []),
                Ns = Build(owner, DnsRecordType.Ns, ns, _ => AddressesOf(_mname)),
                Any = Build(owner, DnsRecordType.Any, [.. soa, .. ns, .. a, .. aaaa, .. srv], _ => [], rotate: false),
            };
        }

        private RecordSpec? SrvSpec(byte[] owner, uint ttl, SrvValue value)
        {
            var target = Wire(value.Target);
            if (target is null)
            {
                return null;
            }

            var fixedPart = new byte[6];
            BinaryPrimitives.WriteUInt16BigEndian(fixedPart.AsSpan(2), records.Zone.SrvWeight);
            BinaryPrimitives.WriteUInt16BigEndian(fixedPart.AsSpan(4), value.Port);
            // RFC 2782: the SRV target is never compressed (it may still be a compression target for what follows).
            return new RecordSpec(owner, DnsRecordType.Srv, ttl, fixedPart, [target], false, []);
        }

        // The A/AAAA records of each distinct SRV target, in answer order, so clients need no second lookup.
        private List<RecordSpec> SrvAdditionals(IReadOnlyList<RecordSpec> answers)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var extra = new List<RecordSpec>();
            foreach (var answer in answers)
            {
                var target = answer.Names[0];
                if (seen.Add(DnsName.ToText(target)))
                {
                    extra.AddRange(AddressesOf(target));
                }
            }

            return extra;
        }

        private List<RecordSpec> AddressesOf(byte[] target)
        {
            var list = new List<RecordSpec>();
            string text = DnsName.ToText(target).TrimEnd('.');
            if (records.Names.TryGetValue(text, out var targetData))
            {
                uint ttl = (uint)Math.Max(0, targetData.Ttl);
                list.AddRange(targetData.A.Select(ip => RecordSpec.Fixed(target, DnsRecordType.A, ttl, AddressBytes(ip))));
                list.AddRange(targetData.Aaaa.Select(ip => RecordSpec.Fixed(target, DnsRecordType.Aaaa, ttl, AddressBytes(ip))));
            }

            return list;
        }

        private CompiledAnswer? Build(
            byte[] owner, DnsRecordType qtype, RecordSpec[] answers, Func<IReadOnlyList<RecordSpec>, List<RecordSpec>> additionals, bool rotate = true)
        {
            if (answers.Length == 0)
            {
                return null;
            }

            int rotations = rotate ? Math.Min(answers.Length, MaxRotations) : 1;
            var variants = new AnswerVariant[rotations];
            ushort an = 0, ar = 0;
            int questionEnd = 0;
            for (int r = 0; r < rotations; r++)
            {
                int start = r * answers.Length / rotations;
                var ordered = new RecordSpec[answers.Length];
                for (int i = 0; i < answers.Length; i++)
                {
                    ordered[i] = answers[(start + i) % answers.Length];
                }

                variants[r] = Write(owner, qtype, ordered, additionals(ordered), out an, out ar, out questionEnd);
            }

            return new CompiledAnswer(variants, an, 0, ar, questionEnd);
        }

        private AnswerVariant Write(
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
            var ends = new List<ushort>();
            an = 0;
            ar = 0;
            int good = writer.Length;
            // Answers longer than a TCP message are cut here, at a record boundary, like any other truncation.
            foreach (var (spec, isAnswer) in answers.Select(s => (s, true)).Concat(additionals.Select(s => (s, false))))
            {
                WriteRecord(ref writer, spec);
                if (writer.Overflowed)
                {
                    break;
                }

                good = writer.Length;
                ends.Add((ushort)good);
                if (isAnswer)
                {
                    an++;
                }
                else
                {
                    ar++;
                }
            }

            var wire = _scratch.AsSpan(0, good).ToArray();
            BinaryPrimitives.WriteUInt16BigEndian(wire.AsSpan(6), an);
            BinaryPrimitives.WriteUInt16BigEndian(wire.AsSpan(10), ar);
            return new AnswerVariant(wire, [.. ends]);
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
