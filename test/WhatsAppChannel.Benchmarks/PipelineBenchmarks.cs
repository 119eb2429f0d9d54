using BenchmarkDotNet.Attributes;
using WhatsAppChannel.Personalization;
using WhatsAppChannel.Events;
using WhatsAppChannel.Planning;

namespace WhatsAppChannel.Benchmarks;

/// <summary>The CPU side of one invocation, per endpoint: parse a 50-endpoint personalized event, then plan it
/// (normalize, personalize, serialize every request body, key it). BenchmarkDotNet needs the class public and unsealed.</summary>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    public const int Endpoints = 50;

    private byte[] _event = [];
    private CampaignEvent _parsed = null!;
    private DeliveryPlanner _planner = null!;

    [GlobalSetup]
    public void Setup()
    {
        _event = EventFactory.Campaign(Endpoints, "benchmark");
        _planner = new DeliveryPlanner(new PhoneNumberNormalizer(null), new LanguageSelector("en_US", false));
        _parsed = EventParser.Parse(_event);
        var plan = _planner.Plan(_parsed);
        if (plan.Sends.Count != Endpoints)
        {
            throw new InvalidOperationException($"the benchmark event plans {plan.Sends.Count} sends, not {Endpoints}: {string.Join(", ", plan.Decided.Select(s => s.Reason))}");
        }
    }

    [Benchmark(OperationsPerInvoke = Endpoints, Baseline = true)]
    public object ParseAndPlan() => _planner.Plan(EventParser.Parse(_event));

    [Benchmark(OperationsPerInvoke = Endpoints)]
    public object ParseOnly() => EventParser.Parse(_event);

    [Benchmark(OperationsPerInvoke = Endpoints)]
    public object PlanOnly() => _planner.Plan(_parsed);
}
