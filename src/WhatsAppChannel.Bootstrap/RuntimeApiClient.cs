using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace WhatsAppChannel.Bootstrap;

/// <summary>Speaks the Lambda Runtime API (2018-06-01). Knows HTTP, paths and headers; nothing of the handler.</summary>
internal sealed class RuntimeApiClient : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient _http;

    public RuntimeApiClient(HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
    }

    /// <summary>A client for <c>AWS_LAMBDA_RUNTIME_API</c> (host:port).</summary>
    /// <exception cref="ArgumentException">The address is not host:port.</exception>
    public static RuntimeApiClient Create(string runtimeApi)
    {
        if (!Uri.TryCreate($"http://{runtimeApi}/", UriKind.Absolute, out var baseAddress) || baseAddress.AbsolutePath != "/")
        {
            throw new ArgumentException($"{BootstrapEnvironment.RuntimeApi} '{runtimeApi}' is not host:port.", nameof(runtimeApi));
        }

        var handler = new SocketsHttpHandler
        {
            // The Runtime API is local to the sandbox: never route it through HTTP_PROXY.
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
        };

        // No timeout: next blocks until an event arrives, and the process may be frozen for minutes meanwhile.
        var http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
        return new RuntimeApiClient(http);
    }

    /// <summary>Waits for the next event.</summary>
    /// <exception cref="RuntimeApiException">The API answered other than 200, left out the request id, or could not be reached.</exception>
    public async Task<Invocation> GetNextInvocationAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, RuntimeApiPaths.NextInvocation);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new RuntimeApiException(
                $"Runtime API answered {(int)response.StatusCode} on {RuntimeApiPaths.NextInvocation}; stopping.");
        }

        var requestId = Header(response, RuntimeApiHeaders.RequestId)
            ?? throw new RuntimeApiException($"Runtime API sent an event without {RuntimeApiHeaders.RequestId}; stopping.");
        var deadline = long.TryParse(Header(response, RuntimeApiHeaders.DeadlineMs), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : (DateTimeOffset?)null;
        byte[] payload;
        try
        {
            payload = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new RuntimeApiException($"Runtime API went away while sending event {requestId}: {e.Message}", e);
        }

        return new Invocation(requestId, deadline, Header(response, RuntimeApiHeaders.TraceId), payload);
    }

    /// <summary>Posts the handler's response.</summary>
    /// <returns>null when accepted, else the status the API refused it with (e.g. 413, payload too large).</returns>
    /// <exception cref="RuntimeApiException">The API answered 500 or could not be reached.</exception>
    public async Task<HttpStatusCode?> SendResponseAsync(string requestId, Stream body, CancellationToken cancellationToken)
    {
        using var content = new StreamContent(body);
        content.Headers.ContentType = Json;
        using var request = new HttpRequestMessage(HttpMethod.Post, RuntimeApiPaths.InvocationResponse(requestId)) { Content = content };
        return await PostAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reports that the handler failed on this event.</summary>
    /// <returns>null when accepted, else the status the API refused it with.</returns>
    /// <exception cref="RuntimeApiException">The API answered 500 or could not be reached.</exception>
    public async Task<HttpStatusCode?> ReportInvocationErrorAsync(string requestId, ErrorReport error, CancellationToken cancellationToken)
    {
        using var request = ErrorRequest(RuntimeApiPaths.InvocationError(requestId), error);
        return await PostAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reports that the function could not start.</summary>
    /// <returns>null when accepted, else the status the API refused it with.</returns>
    /// <exception cref="RuntimeApiException">The API answered 500 or could not be reached.</exception>
    public async Task<HttpStatusCode?> ReportInitErrorAsync(ErrorReport error, CancellationToken cancellationToken)
    {
        using var request = ErrorRequest(RuntimeApiPaths.InitError, error);
        return await PostAsync(request, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _http.Dispose();

    private static HttpRequestMessage ErrorRequest(string path, ErrorReport error)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(error, ErrorReportJsonContext.Default.ErrorReport));
        content.Headers.ContentType = Json;
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.TryAddWithoutValidation(RuntimeApiHeaders.FunctionErrorType, error.ErrorType);
        return request;
    }

    private async Task<HttpStatusCode?> PostAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return null;
        }

        // 500 means the execution environment is broken: the runtime must exit so Lambda can replace it.
        if (response.StatusCode == HttpStatusCode.InternalServerError)
        {
            throw new RuntimeApiException($"Runtime API answered 500 on {request.RequestUri}; stopping.");
        }

        return response.StatusCode;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new RuntimeApiException($"Runtime API at {_http.BaseAddress} is unreachable: {e.Message}", e);
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v)) : null;
}
