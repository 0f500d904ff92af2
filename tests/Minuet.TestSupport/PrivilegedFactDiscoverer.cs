using Xunit.Abstractions;
using Xunit.Sdk;

namespace Minuet.TestSupport;

/// <summary>
/// Turns a privileged fact that would skip under <c>CI=true</c> into a failing test case carrying the reason:
/// an attribute alone can only skip, and a silent skip in CI (which has root) hides a broken runner.
/// </summary>
public sealed class PrivilegedFactDiscoverer : FactDiscoverer
{
    public const string TypeName = "Minuet.TestSupport.PrivilegedFactDiscoverer";
    public const string AssemblyName = "Minuet.TestSupport";

    private readonly IMessageSink _diagnostics;

    public PrivilegedFactDiscoverer(IMessageSink diagnosticMessageSink)
        : base(diagnosticMessageSink)
    {
        _diagnostics = diagnosticMessageSink;
    }

    public override IEnumerable<IXunitTestCase> Discover(
        ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        Discover(discoveryOptions, testMethod, factAttribute, PrivilegedFact.IsCi());

    /// <summary>The same with CI given, so a test can prove both sides without touching the environment.</summary>
    public IEnumerable<IXunitTestCase> Discover(
        ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute, bool ci)
    {
        var reason = (factAttribute as IReflectionAttributeInfo)?.Attribute is IPrivilegedFact fact
            ? fact.UnavailableReason
            : null;
        if (PrivilegedFact.Decide(reason, ci) == PrivilegedFactOutcome.Fail)
        {
            return
            [
                new ExecutionErrorTestCase(
                    _diagnostics,
                    discoveryOptions.MethodDisplayOrDefault(),
                    discoveryOptions.MethodDisplayOptionsOrDefault(),
                    testMethod,
                    PrivilegedFact.FailureMessage(reason!)),
            ];
        }

        return base.Discover(discoveryOptions, testMethod, factAttribute);
    }
}
