using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;

namespace WhatsAppChannel.CampaignData;

/// <summary>
/// Reads a campaign's Data from AWS Systems Manager Parameter Store (<c>GetParameter</c>, JSON 1.1): the parameter
/// <c>{prefix}/{campaign name}</c>, else <c>{prefix}/default</c>. The <see cref="HttpClient"/> must sign with SigV4 for
/// service <c>ssm</c> (the composition root builds it).
/// </summary>
internal sealed class ParameterStoreDataSource : ICampaignDataSource
{
    public const string DefaultName = "default";

    private const string Service = "Systems Manager Parameter Store";
    private static readonly MediaTypeHeaderValue AmzJson = new("application/x-amz-json-1.1");

    /// <summary>Bounds each call so a hung endpoint cannot eat the invocation's time.</summary>
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(5);

    private readonly HttpClient _signedHttpClient;
    private readonly Uri _endpoint;
    private readonly string _prefix;

    /// <param name="prefix">The parameters' path, starting with <c>/</c>, e.g. <c>/whatsapp/campaigns</c>.</param>
    public ParameterStoreDataSource(HttpClient signedHttpClient, Uri endpoint, string prefix)
    {
        ArgumentNullException.ThrowIfNull(signedHttpClient);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        _signedHttpClient = signedHttpClient;
        _endpoint = endpoint;
        _prefix = prefix.TrimEnd('/');
    }

    public async Task<StoredCampaignData> GetAsync(string? campaignName, CancellationToken cancellationToken)
    {
        var fallback = ParameterName(_prefix, DefaultName);
        var own = campaignName is null ? null : ParameterName(_prefix, campaignName);
        if (own is not null && own != fallback && await TryGetAsync(own, cancellationToken).ConfigureAwait(false) is { } value)
        {
            return new StoredCampaignData(value, "parameter " + own);
        }

        if (await TryGetAsync(fallback, cancellationToken).ConfigureAwait(false) is { } shared)
        {
            return new StoredCampaignData(shared, "parameter " + fallback);
        }

        throw new CampaignDataUnavailableException(own is null || own == fallback
            ? $"no parameter {fallback} in {Service}: put the campaign's Data there"
            : $"no parameter {own} (nor {fallback}) in {Service}: put the campaign's Data there");
    }

    /// <summary>The parameter of a campaign: Parameter Store names allow only letters, digits and <c>_.-</c> in a segment, so
    /// every other character of the campaign's name (a space, say) becomes <c>-</c>.</summary>
    public static string ParameterName(string prefix, string campaignName)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(campaignName);
        var segment = new StringBuilder(campaignName.Length);
        foreach (var c in campaignName.Trim())
        {
            segment.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' ? c : '-');
        }

        return prefix.TrimEnd('/') + "/" + (segment.Length == 0 ? DefaultName : segment.ToString());
    }

    /// <returns>The parameter's value, or null when there is no such parameter.</returns>
    private async Task<string?> TryGetAsync(string name, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AmazonSSM.GetParameter");
        var body = JsonSerializer.SerializeToUtf8Bytes(new GetParameterRequest(name, WithDecryption: true), CampaignDataJsonContext.Default.GetParameterRequest);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = AmzJson;

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(AttemptTimeout);
        HttpResponseMessage response;
        try
        {
            response = await _signedHttpClient.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new CampaignDataUnavailableException($"could not reach {Service} at {_endpoint.GetLeftPart(UriPartial.Authority)} reading parameter {name}: {e.Message}", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CampaignDataUnavailableException($"no answer from {Service} within {AttemptTimeout.TotalSeconds:0} s reading parameter {name}", e);
        }
        catch (AmazonClientException e)
        {
            // Raised by the signing handler when the default chain finds no credentials.
            throw new CampaignDataUnavailableException($"could not sign the request for parameter {name}: no usable AWS credentials (the function's role, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)", e);
        }

        using (response)
        {
            var content = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? ReadValue(content, name) : ReadFailure(response, content, name);
        }
    }

    private static string ReadValue(byte[] content, string name)
    {
        GetParameterResponse? answer;
        try
        {
            answer = JsonSerializer.Deserialize(content, CampaignDataJsonContext.Default.GetParameterResponse);
        }
        catch (JsonException e)
        {
            throw new CampaignDataUnavailableException($"{Service} returned an unreadable GetParameter answer for parameter {name}", e);
        }

        var value = answer?.Parameter?.Value;
        return string.IsNullOrWhiteSpace(value)
            ? throw new CampaignDataUnavailableException($"parameter {name} has no value")
            : value;
    }

    /// <returns>Null for ParameterNotFound; every other error throws with what to fix.</returns>
    private static string? ReadFailure(HttpResponseMessage response, byte[] content, string name)
    {
        ParameterStoreError? error = null;
        try
        {
            error = JsonSerializer.Deserialize(content, CampaignDataJsonContext.Default.ParameterStoreError);
        }
        catch (JsonException)
        {
            // Not AWS JSON (a proxy's page): the status code is all there is to report.
        }

        var type = ErrorType(error?.Type ?? (response.Headers.TryGetValues("x-amzn-ErrorType", out var values) ? values.FirstOrDefault() : null));
        var detail = error?.Message is { Length: > 0 } text ? ": " + OneLine(text) : "";
        var status = (int)response.StatusCode;
        return type switch
        {
            "ParameterNotFound" => null,
            "AccessDeniedException" => throw new CampaignDataUnavailableException(
                $"access denied reading parameter {name}: the function's role needs ssm:GetParameter on it (and kms:Decrypt for a SecureString under a customer managed key){detail}"),
            "UnrecognizedClientException" or "InvalidSignatureException" or "IncompleteSignature" or "SignatureDoesNotMatch"
                or "InvalidClientTokenId" or "ExpiredTokenException" or "MissingAuthenticationToken" =>
                // No AWS text here: signature errors echo the canonical request, session token included.
                throw new CampaignDataUnavailableException($"AWS rejected the function's credentials ({type}) reading parameter {name}"),
            _ => throw new CampaignDataUnavailableException(
                $"{Service} answered HTTP {status}{(type is null ? "" : $" ({type})")} reading parameter {name}{detail}"),
        };
    }

    // "com.amazonaws.ssm#ParameterNotFound" and "ParameterNotFound:http://..." both name ParameterNotFound.
    private static string? ErrorType(string? type)
    {
        if (string.IsNullOrWhiteSpace(type))
        {
            return null;
        }

        var start = type.LastIndexOf('#') + 1;
        var end = type.IndexOf(':', start);
        return (end < 0 ? type[start..] : type[start..end]).Trim();
    }

    private static string OneLine(string text)
    {
        var line = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return line.Length <= 300 ? line : string.Concat(line.AsSpan(0, 300), "...");
    }
}
