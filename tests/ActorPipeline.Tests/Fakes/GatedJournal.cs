using System.Collections.Concurrent;
using System.Collections.Immutable;
using Akka.Persistence;
using Akka.Persistence.Journal;

namespace ActorPipeline.Tests.Fakes;

/// <summary>
/// The in-memory journal with a gate in front of its writes and a record of them: a spec closes the
/// gate to hold a write "in flight" as long as it likes, then sees exactly what each write carried.
/// Configured by HOCON (<see cref="Hocon"/>); the instance an actor system made is <see cref="Current"/>.
/// </summary>
internal sealed class GatedJournal : MemoryJournal
{
    public const string Hocon = """
        akka.persistence.journal.plugin = "akka.persistence.journal.gated"
        akka.persistence.journal.gated {
          class = "ActorPipeline.Tests.Fakes.GatedJournal, ActorPipeline.Tests"
          plugin-dispatcher = "akka.actor.default-dispatcher"
        }
        """;

    private volatile TaskCompletionSource _gate = Opened();

    public GatedJournal() => Current = this;

    /// <summary>The journal the last actor system made (one spec class uses it at a time).</summary>
    public static GatedJournal? Current { get; private set; }

    /// <summary>Each write the journal was asked for, as the payloads of its atomic writes, in order.</summary>
    public ConcurrentQueue<IReadOnlyList<object>> Writes { get; } = new();

    /// <summary>Writes asked for from now on wait until <see cref="Open"/>.</summary>
    public void Close() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Open() => _gate.TrySetResult();

    protected override async Task<IImmutableList<Exception?>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        var writes = messages.ToList();
        foreach (var write in writes)
        {
            Writes.Enqueue([.. ((IEnumerable<IPersistentRepresentation>)write.Payload).Select(p => p.Payload)]);
        }

        await _gate.Task.WaitAsync(cancellationToken);
        return await base.WriteMessagesAsync(writes, cancellationToken);
    }

    private static TaskCompletionSource Opened()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }
}
