using WhatsAppChannel.Secrets;

namespace WhatsAppChannel.TestSupport;

/// <summary>A token source that answers from a script of results and counts fetches; optionally holds each fetch until released.</summary>
internal sealed class ScriptedTokenSource : IAccessTokenSource
{
    private readonly Queue<Func<string>> _script = new();
    private readonly object _gate = new();
    private int _fetches;

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool HoldFetches { get; init; }

    public int Fetches => Volatile.Read(ref _fetches);

    public ScriptedTokenSource Then(string token) => Then(() => token);

    public ScriptedTokenSource ThenFail(string message) => Then(() => throw new TokenUnavailableException(message));

    public async Task<string> FetchTokenAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _fetches);
        if (HoldFetches)
        {
            await Release.Task;
        }

        Func<string> next;
        lock (_gate)
        {
            next = _script.Count > 1 ? _script.Dequeue() : _script.Peek();
        }

        return next();
    }

    private ScriptedTokenSource Then(Func<string> result)
    {
        lock (_gate)
        {
            _script.Enqueue(result);
        }

        return this;
    }
}
