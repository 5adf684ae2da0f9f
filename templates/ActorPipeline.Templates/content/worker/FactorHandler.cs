using ActorPipeline;
using Microsoft.Extensions.Logging;

namespace ActorPipelineWorker;

/// <summary>
/// What the consumers do with each item: factorise its number into primes and log the result.
/// Returning marks the item done; throwing retries it (up to <c>Pipeline:Consumers:MaxAttempts</c>),
/// then dead-letters it. A new handler is made for every item (a scope per item), so it may take
/// scoped services such as a database context.
/// </summary>
public sealed partial class FactorHandler(ILogger<FactorHandler> logger) : IWorkHandler<NumberItem>
{
    public ValueTask HandleAsync(NumberItem item, WorkContext context)
    {
        var factors = Factorise(item.Number, context.CancellationToken);
        LogFactors(logger, item.Index, item.Number, string.Join(" × ", factors), context.ItemId, context.Attempt);
        return ValueTask.CompletedTask;
    }

    /// <summary>Prime factors by trial division, smallest first; stops when the attempt is cancelled.</summary>
    public static List<long> Factorise(long number, CancellationToken cancellationToken)
    {
        var factors = new List<long>();
        var rest = number;
        for (long divisor = 2; divisor <= rest / divisor; divisor += divisor == 2 ? 1 : 2)
        {
            if ((divisor & 0xFFFF) == 1)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            while (rest % divisor == 0)
            {
                factors.Add(divisor);
                rest /= divisor;
            }
        }

        if (rest > 1)
        {
            factors.Add(rest);
        }

        return factors;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Item {Index}: {Number} = {Factors} (item id {ItemId}, attempt {Attempt}).")]
    private static partial void LogFactors(ILogger logger, int index, long number, string factors, long itemId, int attempt);
}
