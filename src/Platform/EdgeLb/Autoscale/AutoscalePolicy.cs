namespace Minuet.Platform.EdgeLb.Autoscale;

/// <summary>
/// marathon-lb-autoscale's decision rules, pure and clocked from outside. Each interval every watched frontend gets one
/// sample (its rate summed over all HAProxy instances); the average of the last <c>Samples</c> gives the target
/// <c>clamp(ceil(avg / target-rps), min, max)</c>. Nothing happens until <c>Samples</c> intervals have passed, when the
/// target equals the current count, or while the per-instance rate is within <c>ThresholdPercent</c> of the target rate
/// and the count is off by fewer than <c>ThresholdInstances</c>; otherwise the app scales after
/// <c>IntervalsPastThreshold</c> such intervals in a row, outside a cooldown of <c>(Cooldown + Samples) × Interval</c>
/// since its last change. When several frontends of one app disagree, the largest target wins.
/// </summary>
internal sealed class AutoscalePolicy(AutoscaleOptions options)
{
    private readonly Dictionary<string, FrontendState> _frontends = options.Apps.ToDictionary(a => a, _ => new FrontendState(), StringComparer.Ordinal);
    private int _intervals;

    /// <summary>The app id a frontend belongs to, as marathon-lb-autoscale reads it: the name without its <c>_port</c>.</summary>
    public static string AppKey(string frontend)
    {
        int underscore = frontend.LastIndexOf('_');
        return underscore > 0 ? frontend[..underscore] : frontend;
    }

    public double Average(string frontend) => _frontends[frontend].Average;

    /// <summary>
    /// One interval: record each frontend's summed rate, then decide. A frontend absent from <paramref name="rates"/> (no
    /// HAProxy answered, or none has it) gets no sample and no decision this interval: "no data" must not read as "idle"
    /// and scale the app down to the minimum.
    /// </summary>
    /// <param name="rates">Rate per frontend, already summed over every HAProxy that has it.</param>
    /// <param name="instances">Current instances per app key (<see cref="AppKey"/>).</param>
    public Dictionary<string, int> Step(IReadOnlyDictionary<string, double> rates, IReadOnlyDictionary<string, int> instances, DateTimeOffset now)
    {
        foreach (var (name, state) in _frontends)
        {
            if (rates.TryGetValue(name, out double rate))
            {
                state.Add(rate, options.Samples);
            }
        }

        var scale = new Dictionary<string, int>(StringComparer.Ordinal);
        bool warm = _intervals >= options.Samples;
        _intervals++;
        if (!warm)
        {
            return scale;
        }

        foreach (var (name, state) in _frontends)
        {
            string app = AppKey(name);
            if (!rates.ContainsKey(name) || !state.HasSamples || !instances.TryGetValue(app, out int current))
            {
                continue;
            }

            int target = (int)Math.Min(options.MaxInstances, Math.Max(options.MinInstances, Math.Ceiling(state.Average / options.TargetRps)));
            if (target == current)
            {
                state.PastThreshold = 0;
                continue;
            }

            double perInstance = current > 0 ? state.Average / current : double.PositiveInfinity;
            if (Math.Abs(perInstance - options.TargetRps) / options.TargetRps < options.ThresholdPercent
                && Math.Abs(target - current) < options.ThresholdInstances)
            {
                state.PastThreshold = 0;
                continue;
            }

            state.PastThreshold++;
            if (state.PastThreshold < options.IntervalsPastThreshold
                || now <= state.LastScaled + (options.Interval * (options.Cooldown + options.Samples)))
            {
                continue;
            }

            if (!scale.TryGetValue(app, out int other) || other < target)
            {
                scale[app] = target;
            }
        }

        foreach (var (name, state) in _frontends)
        {
            if (scale.ContainsKey(AppKey(name)))
            {
                state.LastScaled = now;
                state.PastThreshold = 0;
            }
        }

        return scale;
    }

    private sealed class FrontendState
    {
        private readonly Queue<double> _samples = new();

        public double Average { get; private set; }

        public bool HasSamples => _samples.Count > 0;

        public int PastThreshold { get; set; }

        public DateTimeOffset LastScaled { get; set; } = DateTimeOffset.MinValue;

        public void Add(double rate, int keep)
        {
            if (_samples.Count >= keep)
            {
                _samples.Dequeue();
            }

            _samples.Enqueue(rate);
            Average = _samples.Average();
        }
    }
}
