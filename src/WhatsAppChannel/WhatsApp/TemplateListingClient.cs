using System.Globalization;
using System.Net.Http.Headers;
using WhatsAppChannel.Secrets;
using WhatsAppChannel.Templates;

namespace WhatsAppChannel.WhatsApp;

/// <summary>Reads <c>GET /{version}/{waba-id}/message_templates</c> page by page.</summary>
internal sealed class TemplateListingClient : ITemplateListing, IDisposable
{
    /// <summary>A page of 100 templates with their components is well under this.</summary>
    public const int MaxPageBytes = 1024 * 1024;

    public const int MaxPages = 20;

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    private readonly HttpClient _http;
    private readonly Uri _baseUrl;
    private readonly Uri _firstPage;
    private readonly IAccessTokenCache _tokens;

    /// <param name="handler">Owned by this client; it must not follow redirects, so the token stays with the Graph host.</param>
    public TemplateListingClient(Uri baseUrl, string apiVersion, string businessAccountId, HttpMessageHandler handler, IAccessTokenCache tokens)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        _baseUrl = baseUrl;
        _firstPage = new Uri($"{baseUrl.AbsoluteUri.TrimEnd('/')}/{apiVersion}/{businessAccountId}/message_templates?fields=name,language,status,category,components&limit=100");
        _http = new HttpClient(handler, disposeHandler: true) { Timeout = RequestTimeout, MaxResponseContentBufferSize = MaxPageBytes };
        _tokens = tokens;
    }

    public async Task<IReadOnlyList<TemplateDefinition>> ListAsync(CancellationToken cancellationToken)
    {
        var token = await _tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        var templates = new List<TemplateDefinition>();
        Uri? page = _firstPage;
        for (var count = 0; page is not null; count++)
        {
            if (count == MaxPages)
            {
                throw new TemplateListingException(string.Create(CultureInfo.InvariantCulture, $"the template listing has more than {MaxPages} pages"));
            }

            var read = TemplateListingPage.Read(await GetAsync(page, token, cancellationToken).ConfigureAwait(false));
            templates.AddRange(read.Templates);
            page = NextPage(read.Next);
        }

        return templates;
    }

    /// <summary>The token goes only to the configured Graph host, wherever <c>paging.next</c> points.</summary>
    private Uri? NextPage(string? next) =>
        next is null ? null
        : Uri.TryCreate(next, UriKind.Absolute, out var uri)
            && uri.Scheme == _baseUrl.Scheme && uri.Port == _baseUrl.Port
            && string.Equals(uri.Host, _baseUrl.Host, StringComparison.OrdinalIgnoreCase) ? uri
        : throw new TemplateListingException("the template listing's next page is not on the Graph host");

    private async Task<byte[]> GetAsync(Uri uri, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new TemplateListingException(string.Create(CultureInfo.InvariantCulture, $"the template listing answered HTTP {(int)response.StatusCode}"));
            }

            return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new TemplateListingException("the template listing could not be read: " + ex.HttpRequestError, ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TemplateListingException("the template listing did not answer within 5 s", ex);
        }
    }

    public void Dispose() => _http.Dispose();
}
