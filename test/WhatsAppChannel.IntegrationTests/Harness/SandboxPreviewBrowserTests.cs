using System.Diagnostics;
using WhatsAppChannel.IntegrationTests.Replay;
using WhatsAppChannel.Sandbox;

namespace WhatsAppChannel.IntegrationTests.Harness;

/// <summary>The sandbox's preview page in a real browser: Debian's Chromium, headless, after the sample campaigns went
/// through the sandbox with <c>whatsapp-channel invoke</c>. CI installs chromium; where it is missing this test fails.</summary>
public sealed class SandboxPreviewBrowserTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly string _profile = Directory.CreateTempSubdirectory("chromium-profile-").FullName;

    [Fact]
    public async Task The_page_shows_each_recipients_messages_with_their_read_ticks_in_chromium()
    {
        var chromium = FindChromium();
        var options = new SandboxOptions { PairRateWindow = null, StatusDelay = TimeSpan.FromMilliseconds(20) };
        await using var sandbox = await SandboxServer.StartAsync(options);
        foreach (var sample in new[] { "campaign-event.json", "personalized-event.json" })
        {
            using var invoke = HarnessProcess.Start(
                Path.Combine(RepositoryRoot.Path, "samples", sample), sandbox.BaseUrl, options.AccessToken, options.PhoneNumberId, new Dictionary<string, string>());
            Assert.All((await invoke.WaitAsync(TimeSpan.FromSeconds(60))).Response().Values, r => Assert.True(r.IsSent || r.Status == "skipped", r.ToString()));
        }

        // Each message reads sent, delivered, then read, 20 ms apart: the DOM is asked for until all are read.
        var dom = await DumpDomUntilAsync(chromium, sandbox.BaseUrl, d => Count(d, "class=\"tick tick-read\"") == sandbox.Messages.Count);

        Assert.Equal(3, Count(dom, "<section class=\"phone\""));
        Assert.Contains("data-recipient=\"8613800138000\"", dom, StringComparison.Ordinal);
        Assert.Contains("Hi Tuohumai, the  Champion T Shirt in your order is not paid yet. Go to pay the order and get extra points!", dom, StringComparison.Ordinal);
        Assert.Contains("Hi Maria, you left Tênis \"Corrida\" 42 in your cart. Complete your purchase today!", dom, StringComparison.Ordinal);
        Assert.Contains("<div class=\"button\">Pay now</div>", dom, StringComparison.Ordinal);
        Assert.Contains("data-status=\"read\"", dom, StringComparison.Ordinal);
        Assert.Equal(sandbox.Messages.Count, Count(dom, "<article class=\"message\""));

        var screenshot = Path.Combine(AppContext.BaseDirectory, "TestResults", "sandbox-preview.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        File.Delete(screenshot);
        await RunChromiumAsync(chromium, ["--window-size=1400,900", $"--screenshot={screenshot}", sandbox.BaseUrl.AbsoluteUri]);
        Assert.True(File.Exists(screenshot), $"no screenshot at {screenshot}");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(screenshot)[..4]);
    }

    private static string FindChromium()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .SelectMany(directory => new[] { "chromium", "chromium-browser" }.Select(name => Path.Combine(directory, name)))
            .FirstOrDefault(File.Exists);
        Assert.True(path is not null, "chromium is not installed: apt-get install chromium (.ci/run does)");
        return path!;
    }

    /// <summary>Chromium dumps the DOM after its load event, when the page's script has rendered the embedded state;
    /// asked again until <paramref name="ready"/> holds, as the statuses may still be going out.</summary>
    private async Task<string> DumpDomUntilAsync(string chromium, Uri url, Func<string, bool> ready)
    {
        var deadline = DateTime.UtcNow + Patience;
        var dom = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            dom = await RunChromiumAsync(chromium, ["--dump-dom", url.AbsoluteUri]);
            if (ready(dom))
            {
                return dom;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        Assert.Fail("the preview never showed every message read; last DOM:\n" + dom);
        return dom;
    }

    private async Task<string> RunChromiumAsync(string chromium, string[] arguments)
    {
        var start = new ProcessStartInfo(chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", $"--user-data-dir={_profile}", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"chromium did not finish within {Patience.TotalSeconds} s: {await stderr}");
        }

        Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}: {await stderr}");
        return await stdout;
    }

    private static int Count(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium's helpers may still hold a file for a moment; the folder is in the temp directory.
        }
    }
}
