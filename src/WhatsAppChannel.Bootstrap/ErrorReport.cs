using System.Text.Json.Serialization;
using WhatsAppChannel.Hosting;
using WhatsAppChannel.Errors;

namespace WhatsAppChannel.Bootstrap;

/// <summary>The error body the Runtime API accepts on /invocation/{id}/error and /init/error.</summary>
internal sealed record ErrorReport(
    [property: JsonPropertyName("errorMessage")] string ErrorMessage,
    [property: JsonPropertyName("errorType")] string ErrorType,
    [property: JsonPropertyName("stackTrace")] IReadOnlyList<string> StackTrace)
{
    /// <summary>A <see cref="ChannelException"/> is an expected, typed failure (its message says everything);
    /// anything else is a bug, reported by its type name with its stack to find it.</summary>
    public static ErrorReport FromException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is ChannelException channelException)
        {
            return new ErrorReport(channelException.Message, channelException.ErrorType, []);
        }

        var stack = exception.StackTrace?
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        return new ErrorReport(exception.Message, exception.GetType().Name, stack);
    }
}
