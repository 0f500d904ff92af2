namespace Minuet.Platform.EdgeLb.Autoscale;

/// <summary>Where HAProxy's stats CSV comes from (an HAProxy's <c>/haproxy?stats;csv</c>, or a fake in tests).</summary>
internal interface IStatsSource
{
    /// <summary>Each HAProxy's frontend rates; an unreachable one is skipped (its problem reported), not fatal.</summary>
    Task<IReadOnlyList<Dictionary<string, double>>> SampleAsync(List<string> problems, CancellationToken cancellationToken);
}

/// <summary>Reads <c>/haproxy?stats;csv</c> from every <c>--haproxy</c> URL.</summary>
internal sealed class HttpStatsSource(IReadOnlyList<Uri> haproxies, HttpClient http) : IStatsSource
{
    public async Task<IReadOnlyList<Dictionary<string, double>>> SampleAsync(List<string> problems, CancellationToken cancellationToken)
    {
        var result = new List<Dictionary<string, double>>();
        foreach (var haproxy in haproxies)
        {
            try
            {
                string csv = await http.GetStringAsync(new Uri(haproxy, "haproxy?stats;csv"), cancellationToken).ConfigureAwait(false);
                result.Add(StatsCsv.FrontendRates(csv));
            }
            catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                problems.Add($"{haproxy}: {e.Message}");
            }
        }

        return result;
    }
}
