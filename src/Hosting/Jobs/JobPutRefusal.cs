namespace ActorPipeline;

/// <summary>Why the queue refused (the rest of) a put into a job.</summary>
public enum JobPutRefusal
{
    /// <summary>The job is closed for adding, settled or cancelled.</summary>
    JobClosed,

    /// <summary>An item is larger than <c>Pipeline:Queue:MaxItemBytes</c> once encoded.</summary>
    ItemTooLarge,

    /// <summary>The queue is shut down.</summary>
    ShutDown,

    /// <summary>Any other reason the queue gave; the message names it.</summary>
    Other,
}
