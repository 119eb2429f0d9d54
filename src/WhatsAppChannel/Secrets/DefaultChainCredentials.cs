using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace WhatsAppChannel.Secrets;

/// <summary>
/// The SDK's default credential chain (environment, profile, container, instance role), resolved on first use rather
/// than at start-up, so a function configured with <c>FB_APP_TOKEN</c> or a slow metadata endpoint never delays init.
/// </summary>
internal sealed class DefaultChainCredentials : AWSCredentials
{
    private static readonly DefaultAWSCredentialsIdentityResolver Resolver = new();

    public override ImmutableCredentials GetCredentials() => Resolver.ResolveIdentity(null).GetCredentials();

    public override async Task<ImmutableCredentials> GetCredentialsAsync()
    {
        var credentials = await Resolver.ResolveIdentityAsync(null, CancellationToken.None).ConfigureAwait(false);
        return await credentials.GetCredentialsAsync().ConfigureAwait(false);
    }
}
