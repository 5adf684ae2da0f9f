using ActorPipeline.Coordinator;
using ActorPipeline.Tests.Model;
using Microsoft.Extensions.Time.Testing;
using static ActorPipeline.Coordinator.Persistence.QueueEvents;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Tests.CoordinatorRules;

/// <summary>
/// A <see cref="CoordinatorState{TClient}"/> on a fake clock with its effects collected: what it told
/// whom, and its journal, so that a spec can recover a second state from it as the actor would.
/// </summary>
internal sealed class StateHarness
{
    private long _sequenceNr;

    public StateHarness(QueueOptions? options = null, int expectedProducers = 0, ListLogger? log = null)
    {
        Options = options ?? new QueueOptions();
        ExpectedProducers = expectedProducers;
        Log = log ?? new ListLogger();
        State = Start(Options, Time, Log, expectedProducers, journal: [], snapshot: null, Journal);
    }

    public QueueOptions Options { get; }

    public int ExpectedProducers { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    public ListLogger Log { get; }

    public CoordinatorState<ModelClient> State { get; private set; }

    public List<IQueueEvent> Journal { get; } = [];

    /// <summary>Everything told since the last <see cref="Take"/>, in order.</summary>
    public List<(ModelClient To, object Message)> Told { get; } = [];

    public List<ModelClient> Watched { get; } = [];

    /// <summary>What of <see cref="Told"/> waits until the journal has stored what came before it (a reply that reports something journaled).</summary>
    public List<(ModelClient To, object Message)> ToldOnceStored { get; } = [];

    public ModelClient Producer { get; } = new("producer");

    public QueueItem Item(string hex) => new(Convert.FromHexString(hex), Time.GetUtcNow().UtcDateTime);

    public Put PutOf(params string[] hexes) => new(Producer.ToString(), ++_sequenceNr, [.. hexes.Select(Item)]);

    /// <summary>Runs a command, settles the state after it as the actor does, and collects its effects.</summary>
    public StateHarness Do(Action<CoordinatorState<ModelClient>> command)
    {
        command(State);
        State.Settle();
        Collect(State, Journal, Told, Watched, ToldOnceStored);
        return this;
    }

    /// <summary>The messages of type <typeparamref name="T"/> told to <paramref name="to"/> since the last take, which it removes.</summary>
    public List<T> Take<T>(ModelClient to)
    {
        var taken = Told.Where(t => t.To == to && t.Message is T).Select(t => (T)t.Message).ToList();
        Told.RemoveAll(t => t.To == to && t.Message is T);
        return taken;
    }

    public Delivery SingleDelivery(ModelClient to) => Assert.Single(Take<Delivery>(to));

    /// <summary>The coordinator crashes; a new one recovers from the journal, or from a snapshot and the events after its place <paramref name="snapshotAt"/> in the journal, and starts.</summary>
    public void Recover(CoordinatorSnapshot? snapshot = null, int snapshotAt = 0)
    {
        var events = snapshot is null ? Journal.ToList() : Journal.Skip(snapshotAt).ToList();
        Told.Clear();
        State = Start(Options, Time, Log, ExpectedProducers, events, snapshot, Journal);
    }

    private static CoordinatorState<ModelClient> Start(
        QueueOptions options, TimeProvider time, ListLogger log, int expectedProducers, List<IQueueEvent> journal, CoordinatorSnapshot? snapshot, List<IQueueEvent> into)
    {
        var state = new CoordinatorState<ModelClient>(options, expectedProducers, time, log);
        if (snapshot is not null)
        {
            state.Restore(snapshot);
        }

        journal.ForEach(state.Apply);
        state.CompleteRecovery(offline: false);
        state.Settle();
        Collect(state, into, [], []);
        return state;
    }

    private static void Collect(
        CoordinatorState<ModelClient> state, List<IQueueEvent> journal, List<(ModelClient, object)> told, List<ModelClient> watched, List<(ModelClient, object)>? toldOnceStored = null)
    {
        foreach (var effect in state.Effects)
        {
            switch (effect.Kind)
            {
                case EffectKind.Journal:
                    journal.Add((IQueueEvent)effect.Message!);
                    break;
                case EffectKind.Tell or EffectKind.TellWhenStored:
                    told.Add((effect.To!, effect.Message!));
                    if (effect.Kind == EffectKind.TellWhenStored)
                    {
                        toldOnceStored?.Add((effect.To!, effect.Message!));
                    }

                    break;
                case EffectKind.Watch:
                    watched.Add(effect.To!);
                    break;
            }
        }

        state.ClearEffects();
    }
}
