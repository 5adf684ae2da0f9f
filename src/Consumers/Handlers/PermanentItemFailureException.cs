namespace ActorPipeline;

/// <summary>
/// Thrown by a work handler (<see cref="IWorkHandler{T}"/>) to say that an item can never succeed (its input is gone, it
/// is malformed, a record it names does not exist): the consumer dead-letters it at once, on this attempt,
/// with this exception's message (and its inner exception's) as the error, instead of retrying it with
/// backoff up to <c>Pipeline:Consumers:MaxAttempts</c> as it does for any other exception.
/// </summary>
/// <example>
/// <code>
/// public async ValueTask HandleAsync(UploadFile item, WorkContext context)
/// {
///     if (!File.Exists(item.Path))
///     {
///         throw new PermanentItemFailureException($"{item.Path} is gone"); // dead-lettered now
///     }
///
///     await UploadAsync(item.Path, context.CancellationToken); // a timeout here is retried with backoff
/// }
/// </code>
/// </example>
public sealed class PermanentItemFailureException : Exception
{
    /// <summary>Creates one with a generic message; prefer one that says why the item cannot succeed.</summary>
    public PermanentItemFailureException()
        : base("The item can never be processed.")
    {
    }

    /// <summary>Creates one whose message is the dead letter's error.</summary>
    /// <param name="message">Why the item can never succeed, as the operator will read it.</param>
    public PermanentItemFailureException(string message)
        : base(message)
    {
    }

    /// <summary>Creates one whose message is the dead letter's error, with the failure that showed it.</summary>
    /// <param name="message">Why the item can never succeed, as the operator will read it.</param>
    /// <param name="innerException">The failure that showed it (e.g. a <see cref="FileNotFoundException"/>); named in the error too.</param>
    public PermanentItemFailureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
