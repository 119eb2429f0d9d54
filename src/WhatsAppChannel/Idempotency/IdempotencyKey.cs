namespace WhatsAppChannel.Idempotency;

/// <summary>The ledger key of one endpoint send.</summary>
internal static class IdempotencyKey
{
    /// <summary>Lowercase hex SHA-256 of the fields. Every field is length-prefixed and null differs
    /// from empty, so no two different field lists share an encoding.</summary>
    public static string Compute(
        string? applicationId,
        string? campaignOrJourneyId,
        string? treatmentId,
        string? activityId,
        string? scheduledTime,
        string endpointId,
        string data)
    {
        using var keys = new IdempotencyKeys(applicationId, campaignOrJourneyId, treatmentId, activityId, scheduledTime, data);
        return keys.For(endpointId);
    }
}
