using System.Reflection;
using Minuet.TestSupport;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Minuet.Native.Tests.Support;

public sealed class PrivilegedFactTests
{
    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("1", true)]
    [InlineData("false", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void IsCi_CiVariable_MatchesCiConvention(string? value, bool expected)
    {
        Assert.Equal(expected, PrivilegedFact.IsCi(value));
    }

    [Fact]
    public void Decide_MissingPrivilegesUnderCi_Fails()
    {
        Assert.Equal(PrivilegedFactOutcome.Fail, PrivilegedFact.Decide("needs root", ci: true));
        Assert.Equal(PrivilegedFactOutcome.Skip, PrivilegedFact.Decide("needs root", ci: false));
        Assert.Equal(PrivilegedFactOutcome.Run, PrivilegedFact.Decide(null, ci: true));
    }

    [Fact]
    public void Discover_UnavailableUnderCi_YieldsAFailingCaseWithTheReason()
    {
        var cases = DiscoverUnavailable(ci: true);

        var failing = Assert.IsType<ExecutionErrorTestCase>(Assert.Single(cases));
        Assert.Contains("needs a unicorn", failing.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("CI=true", failing.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Discover_UnavailableOutsideCi_YieldsAnOrdinaryCase()
    {
        var cases = DiscoverUnavailable(ci: false);

        Assert.IsNotType<ExecutionErrorTestCase>(Assert.Single(cases));
    }

    private static List<IXunitTestCase> DiscoverUnavailable(bool ci)
    {
        var method = typeof(Subject).GetMethod(nameof(Subject.NeedsAUnicorn), BindingFlags.Public | BindingFlags.Static)!;
        var assembly = new TestAssembly(Reflector.Wrap(typeof(PrivilegedFactTests).Assembly));
        var collection = new TestCollection(assembly, null, "privileged");
        var testClass = new TestClass(collection, Reflector.Wrap(typeof(Subject)));
        var testMethod = new TestMethod(testClass, Reflector.Wrap(method));
        var attribute = new ReflectionAttributeInfo(method.GetCustomAttributesData().Single());
        var discoverer = new PrivilegedFactDiscoverer(new SilentSink());
        return discoverer.Discover(new DiscoveryOptions(), testMethod, attribute, ci).ToList();
    }

    // A private nested type is not discovered by xunit (it looks at exported types), so this is no test.
#pragma warning disable xUnit1000 // private on purpose: xunit must not run it
    private static class Subject
    {
        [UnavailableFact]
        public static void NeedsAUnicorn()
        {
        }
    }
#pragma warning restore xUnit1000

    [AttributeUsage(AttributeTargets.Method)]
    private sealed class UnavailableFactAttribute : FactAttribute, IPrivilegedFact
    {
        public string? UnavailableReason => "needs a unicorn";
    }

    private sealed class SilentSink : LongLivedMarshalByRefObject, IMessageSink
    {
        public bool OnMessage(IMessageSinkMessage message) => true;
    }

    private sealed class DiscoveryOptions : LongLivedMarshalByRefObject, ITestFrameworkDiscoveryOptions
    {
        private readonly Dictionary<string, object?> _values = [];

        public TValue GetValue<TValue>(string name) =>
            _values.TryGetValue(name, out var value) && value is TValue typed ? typed : default!;

        public void SetValue<TValue>(string name, TValue value) => _values[name] = value;
    }
}
