using Google.Protobuf;
using Google.Protobuf.Reflection;
using static ActorPipeline.Coordinator.Persistence.QueueEvents;
using static ActorPipeline.Coordinator.Serialization.WireValues;
using W = ActorPipeline.Coordinator.Wire;

namespace ActorPipeline.Coordinator.Serialization;

/// <summary>
/// An <see cref="EventGroup"/> as <see cref="W.EventGroup"/>: each event in its own case of
/// <see cref="W.GroupedEvent"/>'s oneof, found by its generated type, so that the schema is the only
/// list of which events a group may hold.
/// </summary>
internal static class EventGroupFormat
{
    private static readonly OneofDescriptor Event = W.GroupedEvent.Descriptor.Oneofs[0];

    private static readonly Dictionary<Type, FieldDescriptor> FieldOf = Event.Fields.ToDictionary(f => f.MessageType.ClrType);

    public static W.EventGroup ToWire(EventGroup group)
    {
        OutCount(group.Events.Count, "EventGroup.Events");
        var wire = new W.EventGroup();
        wire.Events.Capacity = group.Events.Count;
        foreach (var e in group.Events)
        {
            var format = e is EventGroup ? null : QueueFormats.ForRecord(e);
            if (format is null || !FieldOf.TryGetValue(format.WireType, out var field))
            {
                throw new ArgumentException($"An {nameof(EventGroup)} holds single events only, not a {e.GetType().Name}.", nameof(group));
            }

            var entry = new W.GroupedEvent();
            field.Accessor.SetValue(entry, format.ToWire(e));
            wire.Events.Add(entry);
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
            var field = Event.Accessor.GetCaseFieldDescriptor(entry)
                ?? throw new WireFormatException($"EventGroup.Events[{i}] holds no event this code knows (one written by newer code?)");
            var message = (IMessage)field.Accessor.GetValue(entry);
            try
            {
                events[i] = QueueFormats.ForWire(message.GetType())?.FromWire(message) as IQueueEvent
                    ?? throw new WireFormatException($"case {field.Name} is not a single journal event");
            }
            catch (WireFormatException e)
            {
                throw new WireFormatException($"EventGroup.Events[{i}]: {e.Message}");
            }
        }

        return new EventGroup(events);
    }
}
