using System.Collections.Immutable;
using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Journal;

namespace ActorPipeline.Tests.Fakes;

/// <summary>
/// The in-memory journal with a switch: while it is off every write fails and every read (recovery)
/// fails, as a database that went down does; what it stored before stays. Configured by HOCON
/// (<see cref="Hocon"/>); the instance an actor system made is <see cref="Current"/>.
/// </summary>
internal sealed class SwitchableJournal : MemoryJournal
{
    public const string Hocon = """
        akka.persistence.journal.plugin = "akka.persistence.journal.switchable"
        akka.persistence.journal.switchable {
          class = "ActorPipeline.Tests.Fakes.SwitchableJournal, ActorPipeline.Tests"
          plugin-dispatcher = "akka.actor.default-dispatcher"
        }
        """;

    private volatile bool _off;
    private int _failedWrites;

    public SwitchableJournal() => Current = this;

    /// <summary>The journal the last actor system made (one spec class uses it at a time).</summary>
    public static SwitchableJournal? Current { get; private set; }

    /// <summary>Writes refused while the journal was off.</summary>
    public int FailedWrites => Volatile.Read(ref _failedWrites);

    public void SwitchOff() => _off = true;

    public void SwitchOn() => _off = false;

    protected override Task<IImmutableList<Exception?>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        if (_off)
        {
            Interlocked.Increment(ref _failedWrites);
            throw new IOException("the journal is switched off (connection refused)");
        }

        return base.WriteMessagesAsync(messages, cancellationToken);
    }

    public override Task ReplayMessagesAsync(IActorContext context, string persistenceId, long fromSequenceNr, long toSequenceNr, long max, Action<IPersistentRepresentation> recoveryCallback) =>
        _off ? Task.FromException(new IOException("the journal is switched off (connection refused)")) : base.ReplayMessagesAsync(context, persistenceId, fromSequenceNr, toSequenceNr, max, recoveryCallback);

}
