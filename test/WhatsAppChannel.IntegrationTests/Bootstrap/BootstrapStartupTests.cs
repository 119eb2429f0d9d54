using System.Net;
using System.Net.Sockets;

namespace WhatsAppChannel.IntegrationTests.Bootstrap;

/// <summary>Start-up and Runtime API failures of the bootstrap: nothing here needs a working handler.</summary>
public sealed class BootstrapStartupTests
{
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Without_AWS_LAMBDA_RUNTIME_API_it_exits_1_with_a_message_naming_the_variable()
    {
        await using var bootstrap = await BootstrapExecutable.StartAsync(ValidFunction("127.0.0.1:1", runtimeApi: null));

        var exitCode = await bootstrap.WaitForExitAsync(ExitBound);

        Assert.Equal(1, exitCode);
        Assert.Contains(bootstrap.StandardError, line => line.Contains("AWS_LAMBDA_RUNTIME_API", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_phone_number_id_is_posted_to_init_error_and_the_process_exits_non_zero()
    {
        await using var api = await RuntimeApiStandIn.StartAsync();
        var environment = ValidFunction("http://127.0.0.1:1", api.Address);
        environment.Remove("FB_BUSINESS_PHONE_ID");
        await using var bootstrap = await BootstrapExecutable.StartAsync(environment);

        var initError = await api.InitError.WaitAsync(ExitBound);
        var exitCode = await bootstrap.WaitForExitAsync(ExitBound);

        Assert.NotEqual(0, exitCode);
        Assert.Equal("InvalidConfiguration", initError.ErrorTypeHeader);
        var body = initError.Json;
        Assert.Equal("InvalidConfiguration", body.GetProperty("errorType").GetString());
        Assert.Contains("FB_BUSINESS_PHONE_ID", body.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.Equal(System.Text.Json.JsonValueKind.Array, body.GetProperty("stackTrace").ValueKind);
        Assert.Equal(0, api.NextCalls);
    }

    [Fact]
    public async Task An_http_graph_url_off_this_machine_is_an_init_error()
    {
        await using var api = await RuntimeApiStandIn.StartAsync();
        await using var bootstrap = await BootstrapExecutable.StartAsync(ValidFunction("http://graph.example.com", api.Address));

        var initError = await api.InitError.WaitAsync(ExitBound);

        Assert.NotEqual(0, await bootstrap.WaitForExitAsync(ExitBound));
        Assert.Contains("WHATSAPP_API_BASE_URL", initError.Json.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_500_from_next_makes_the_process_exit_promptly_with_one_line_on_stderr()
    {
        await using var api = await RuntimeApiStandIn.StartAsync();
        api.NextStatusOverride = 500;
        await using var bootstrap = await BootstrapExecutable.StartAsync(ValidFunction("http://127.0.0.1:1", api.Address));

        var exitCode = await bootstrap.WaitForExitAsync(ExitBound);

        Assert.NotEqual(0, exitCode);
        Assert.Equal(1, api.NextCalls);
        var line = Assert.Single(bootstrap.StandardError);
        Assert.Contains("500", line, StringComparison.Ordinal);
        Assert.Empty(api.Posts);
    }

    [Fact]
    public async Task An_unexpected_status_from_next_also_ends_the_process()
    {
        await using var api = await RuntimeApiStandIn.StartAsync();
        api.NextStatusOverride = 403;
        await using var bootstrap = await BootstrapExecutable.StartAsync(ValidFunction("http://127.0.0.1:1", api.Address));

        Assert.NotEqual(0, await bootstrap.WaitForExitAsync(ExitBound));
        Assert.Contains(bootstrap.StandardError, line => line.Contains("403", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_runtime_api_going_away_while_next_waits_ends_the_process()
    {
        var api = await RuntimeApiStandIn.StartAsync();
        await using var bootstrap = await BootstrapExecutable.StartAsync(ValidFunction("http://127.0.0.1:1", api.Address));
        await WaitUntilAsync(() => api.NextCalls > 0 || bootstrap.HasExited);
        Assert.False(bootstrap.HasExited, string.Join(" | ", bootstrap.StandardError));

        await api.DisposeAsync();

        Assert.NotEqual(0, await bootstrap.WaitForExitAsync(ExitBound));
        Assert.NotEmpty(bootstrap.StandardError);
    }

    [Fact]
    public async Task A_runtime_api_that_refuses_connections_ends_the_process()
    {
        await using var bootstrap = await BootstrapExecutable.StartAsync(
            ValidFunction("http://127.0.0.1:1", $"127.0.0.1:{ClosedPort()}"));

        Assert.NotEqual(0, await bootstrap.WaitForExitAsync(ExitBound));
        Assert.Contains(bootstrap.StandardError, line => line.Contains("unreachable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_GC_heap_is_capped_at_three_quarters_of_AWS_LAMBDA_FUNCTION_MEMORY_SIZE()
    {
        await using var api = await RuntimeApiStandIn.StartAsync();
        var environment = ValidFunction("http://127.0.0.1:1", api.Address);
        environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "256";
        await using var bootstrap = await BootstrapExecutable.StartAsync(environment);

        await WaitUntilAsync(() => api.NextCalls > 0 || bootstrap.HasExited);

        var started = bootstrap.StandardOutput
            .Where(line => line.StartsWith('{'))
            .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement)
            .First(json => json.GetProperty("message").GetString() == "bootstrap started");
        const long expected = 256L * 1024 * 1024 * 3 / 4;
        Assert.Equal(expected, started.GetProperty("gcHeapHardLimitBytes").GetInt64());
        Assert.Equal(expected, started.GetProperty("gcTotalAvailableMemoryBytes").GetInt64());
    }

    internal static Dictionary<string, string?> ValidFunction(string graphBaseUrl, string? runtimeApi) => new()
    {
        ["AWS_LAMBDA_RUNTIME_API"] = runtimeApi,
        ["FB_BUSINESS_PHONE_ID"] = "100000000000001",
        ["FB_APP_TOKEN"] = "sandbox-token",
        ["WHATSAPP_API_BASE_URL"] = graphBaseUrl,
    };

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        var giveUp = DateTime.UtcNow + ExitBound;
        while (!condition() && DateTime.UtcNow < giveUp)
        {
            await Task.Delay(50);
        }
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
