using WhatsAppChannel.Sandbox;
using Xunit.Abstractions;

namespace WhatsAppChannel.IntegrationTests.Bootstrap;

/// <summary>Many invocations through one bootstrap process: it stays up and its memory stays flat.</summary>
[Trait("Category", "Load")]
public sealed class BootstrapLoadTests(ITestOutputHelper output)
{
    private const int Invocations = 1_000;

    /// <summary>RSS is compared as the median of this many invocations after the warm-up and at the end.</summary>
    private const int Window = 100;

    /// <summary>Invocations before the first window: the GC's first gen0 budgets fill and are collected (one invocation
    /// leaves about 60 KB of garbage, the budget is 6 MB), so RSS rises over the first few hundred.</summary>
    private const int WarmUp = 300;

    /// <summary>As Lambda sizes the function: the bootstrap caps its GC heap from it.</summary>
    private const int FunctionMemoryMb = 128;

    /// <summary>What the AOT bootstrap (the deployed one) may hold at most, half its memory size. The JIT build also
    /// holds the JIT compiler and its code, so only its growth is checked.</summary>
    private const long PeakLimitKib = 64 * 1024;

    /// <summary>Allowed rise of the median RSS from the first window to the last (measured: under 1 MB); a leak of
    /// 10 KB per invocation would exceed it.</summary>
    private const long GrowthLimitKib = 4 * 1024;

    [Fact]
    public async Task A_thousand_invocations_through_one_process_keep_it_up_with_flat_memory()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { PairRateWindow = null });
        await using var api = await RuntimeApiStandIn.StartAsync();
        var environment = BootstrapStartupTests.ValidFunction(sandbox.BaseUrl.ToString().TrimEnd('/'), api.Address);
        environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = FunctionMemoryMb.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var bootstrap = await BootstrapExecutable.StartAsync(environment);
        var resident = new List<long>(Invocations);

        for (var i = 1; i <= Invocations; i++)
        {
            var post = await api.InvokeAsync(
                CampaignEvents.Create($"load-{i}", ($"endpoint-{i}", CampaignEvents.Address(i))),
                BootstrapInvocationTests.InSeconds(30)).WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(post.Kind == RuntimeApiPostKind.Response, $"invocation {i}: {post.Kind} {post.Body}");
            Assert.Equal("sent", BootstrapInvocationTests.Status(post, $"endpoint-{i}"));
            resident.Add(bootstrap.ReadMemory().ResidentKib);
        }

        var peak = bootstrap.ReadMemory().PeakKib;
        Assert.False(bootstrap.HasExited);
        Assert.Equal(Invocations, sandbox.Messages.Count);
        var first = Median(resident.Skip(WarmUp).Take(Window));
        var last = Median(resident.TakeLast(Window));
        var described = $"median RSS {first} kB over invocations {WarmUp + 1}-{WarmUp + Window}, {last} kB over the last {Window}";
        output.WriteLine($"{(BootstrapExecutable.IsNativeAot ? "AOT" : "JIT")} bootstrap: {described}; peak {peak} kB");
        Assert.True(last - first <= GrowthLimitKib, $"RSS grew: {described}");
        Assert.True(!BootstrapExecutable.IsNativeAot || peak <= PeakLimitKib, $"peak RSS {peak} kB exceeds {PeakLimitKib} kB");
    }

    private static long Median(IEnumerable<long> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
