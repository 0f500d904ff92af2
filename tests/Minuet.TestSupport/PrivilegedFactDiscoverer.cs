using Xunit.Abstractions;
using Xunit.Sdk;

namespace Minuet.TestSupport;

/// <summary>
/// Discovers <see cref="RootFactAttribute"/> and <see cref="NetnsFactAttribute"/> tests. Outside CI a missing
/// privilege skips the test with its reason; with <c>CI=true</c> (CI runs as root with every tool) the same test
/// fails with that reason instead, so a broken CI setup cannot pass by skipping what it exists to run.
/// </summary>
public sealed class PrivilegedFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var skip = factAttribute.GetNamedArgument<string>(nameof(FactAttribute.Skip));
        bool allowed = factAttribute is IReflectionAttributeInfo { Attribute: ICiSkippable { SkipAllowedInCi: true } };
        if (InCi && skip is not null && !allowed)
        {
            return [new ExecutionErrorTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(),
                testMethod, $"CI=true but this test would be skipped: {skip}. CI must run every privileged test.")];
        }

        return base.Discover(discoveryOptions, testMethod, factAttribute);
    }
}

/// <summary>A privileged fact whose current skip is about the machine (e.g. no cgroup v1), not a privilege CI lacks.</summary>
public interface ICiSkippable
{
    bool SkipAllowedInCi { get; }
}
