namespace WhatsAppChannel.Throughput;

/// <summary>Where a number's per-slot permits are counted: shared by every instance (DynamoDB) or by this process.</summary>
internal interface IThroughputStore
{
    /// <summary>Takes up to <paramref name="wanted"/> permits of <paramref name="phoneNumberId"/> in <paramref name="slot"/>;
    /// returns how many it got (0 when the slot is full). Never more than the number's limit in any ten consecutive slots.</summary>
    /// <exception cref="ThroughputStoreUnavailableException">The store did not answer.</exception>
    ValueTask<int> TakeAsync(string phoneNumberId, long slot, int wanted, CancellationToken cancellationToken);
}
