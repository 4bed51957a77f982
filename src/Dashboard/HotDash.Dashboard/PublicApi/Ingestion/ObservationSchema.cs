namespace HotDash.Dashboard.PublicApi.Ingestion;

/// <summary>Which of Langfuse's observation body schemas an event type uses (each adds fields to the one before).</summary>
internal enum ObservationSchema
{
    /// <summary><c>event-create</c>: the common fields, no end time.</summary>
    Event,

    /// <summary><c>span-create</c>, <c>span-update</c>: adds <c>endTime</c>.</summary>
    Span,

    /// <summary><c>generation-*</c> and the other typed creates: adds model, usage, cost and prompt fields.</summary>
    Generation,

    /// <summary>Legacy <c>observation-create</c>/<c>-update</c>: generation fields without the prompt, primitive model parameters.</summary>
    Legacy,
}
