using Google.Protobuf;
using static ActorPipeline.Coordinator.Persistence.QueueEvents;
using static ActorPipeline.Coordinator.Serialization.WireValues;
using W = ActorPipeline.Coordinator.Wire;

namespace ActorPipeline.Coordinator.Serialization;

/// <summary>
/// An <see cref="EventGroup"/> as <see cref="W.EventGroup"/>: each event in its own case of
/// <see cref="W.GroupedEvent"/>'s oneof. The cases are matched through the generated properties, not through
/// protobuf's reflection descriptors: building those descriptors cost a fresh node ~0.1 s of CPU on its first
/// journal write. QueueMessageSerializerSpecs holds the two switches below to the schema's oneof, case by case.
/// </summary>
internal static class EventGroupFormat
{
    public static W.EventGroup ToWire(EventGroup group)
    {
        OutCount(group.Events.Count, "EventGroup.Events");
        var wire = new W.EventGroup();
        wire.Events.Capacity = group.Events.Count;
        foreach (var e in group.Events)
        {
            var format = e is EventGroup ? null : QueueFormats.ForRecord(e);
            var entry = format is null ? null : Entry(format.ToWire(e));
            wire.Events.Add(entry ?? throw new ArgumentException($"An {nameof(EventGroup)} holds single events only, not a {e.GetType().Name}.", nameof(group)));
        }

        return wire;
    }

    public static EventGroup FromWire(W.EventGroup wire)
    {
        InCount(wire.Events.Count, "EventGroup.Events");
        var events = new IQueueEvent[wire.Events.Count];
        for (var i = 0; i < events.Length; i++)
        {
            var entry = wire.Events[i];
            var message = Event(entry)
                ?? throw new WireFormatException($"EventGroup.Events[{i}] holds no event this code knows (one written by newer code?)");
            try
            {
                events[i] = QueueFormats.ForWire(message.GetType())?.FromWire(message) as IQueueEvent
                    ?? throw new WireFormatException($"case {entry.EventCase} is not a single journal event");
            }
            catch (WireFormatException e)
            {
                throw new WireFormatException($"EventGroup.Events[{i}]: {e.Message}");
            }
        }

        return new EventGroup(events);
    }

    /// <summary>The group entry holding <paramref name="message"/> in its case; null for a message that is no grouped event.</summary>
    internal static W.GroupedEvent? Entry(IMessage message) => message switch
    {
        W.ItemsAccepted m => new W.GroupedEvent { ItemsAccepted = m },
        W.ItemsDelivered m => new W.GroupedEvent { ItemsDelivered = m },
        W.ItemsCompleted m => new W.GroupedEvent { ItemsCompleted = m },
        W.ItemsRequeued m => new W.GroupedEvent { ItemsRequeued = m },
        W.AcksIgnored m => new W.GroupedEvent { AcksIgnored = m },
        W.ItemDeadLettered m => new W.GroupedEvent { ItemDeadLettered = m },
        W.DeadLettersRequeued m => new W.GroupedEvent { DeadLettersRequeued = m },
        W.ProducerAnnounced m => new W.GroupedEvent { ProducerAnnounced = m },
        W.ProducerCompleted m => new W.GroupedEvent { ProducerCompleted = m },
        W.ProducerLost m => new W.GroupedEvent { ProducerLost = m },
        W.ShutdownRequested m => new W.GroupedEvent { ShutdownRequested = m },
        W.IncarnationStarted m => new W.GroupedEvent { IncarnationStarted = m },
        W.RunFinished m => new W.GroupedEvent { RunFinished = m },
        W.RunStarted m => new W.GroupedEvent { RunStarted = m },
        W.DeadLettersDiscarded m => new W.GroupedEvent { DeadLettersDiscarded = m },
        W.RunEndedByOperator m => new W.GroupedEvent { RunEndedByOperator = m },
        W.ProducerSuspended m => new W.GroupedEvent { ProducerSuspended = m },
        W.JobOpened m => new W.GroupedEvent { JobOpened = m },
        W.JobClosed m => new W.GroupedEvent { JobClosed = m },
        W.JobCancelled m => new W.GroupedEvent { JobCancelled = m },
        W.JobSettled m => new W.GroupedEvent { JobSettled = m },
        W.JobsForgotten m => new W.GroupedEvent { JobsForgotten = m },
        _ => null,
    };

    /// <summary>The event in <paramref name="entry"/>'s case; null for an empty entry or a case this code does not know.</summary>
    internal static IMessage? Event(W.GroupedEvent entry) => entry.EventCase switch
    {
        W.GroupedEvent.EventOneofCase.ItemsAccepted => entry.ItemsAccepted,
        W.GroupedEvent.EventOneofCase.ItemsDelivered => entry.ItemsDelivered,
        W.GroupedEvent.EventOneofCase.ItemsCompleted => entry.ItemsCompleted,
        W.GroupedEvent.EventOneofCase.ItemsRequeued => entry.ItemsRequeued,
        W.GroupedEvent.EventOneofCase.AcksIgnored => entry.AcksIgnored,
        W.GroupedEvent.EventOneofCase.ItemDeadLettered => entry.ItemDeadLettered,
        W.GroupedEvent.EventOneofCase.DeadLettersRequeued => entry.DeadLettersRequeued,
        W.GroupedEvent.EventOneofCase.ProducerAnnounced => entry.ProducerAnnounced,
        W.GroupedEvent.EventOneofCase.ProducerCompleted => entry.ProducerCompleted,
        W.GroupedEvent.EventOneofCase.ProducerLost => entry.ProducerLost,
        W.GroupedEvent.EventOneofCase.ShutdownRequested => entry.ShutdownRequested,
        W.GroupedEvent.EventOneofCase.IncarnationStarted => entry.IncarnationStarted,
        W.GroupedEvent.EventOneofCase.RunFinished => entry.RunFinished,
        W.GroupedEvent.EventOneofCase.RunStarted => entry.RunStarted,
        W.GroupedEvent.EventOneofCase.DeadLettersDiscarded => entry.DeadLettersDiscarded,
        W.GroupedEvent.EventOneofCase.RunEndedByOperator => entry.RunEndedByOperator,
        W.GroupedEvent.EventOneofCase.ProducerSuspended => entry.ProducerSuspended,
        W.GroupedEvent.EventOneofCase.JobOpened => entry.JobOpened,
        W.GroupedEvent.EventOneofCase.JobClosed => entry.JobClosed,
        W.GroupedEvent.EventOneofCase.JobCancelled => entry.JobCancelled,
        W.GroupedEvent.EventOneofCase.JobSettled => entry.JobSettled,
        W.GroupedEvent.EventOneofCase.JobsForgotten => entry.JobsForgotten,
        _ => null,
    };
}
