using System.Runtime.Serialization;
using static ActorPipeline.Coordinator.QueueEvents;
using static ActorPipeline.Coordinator.QueueProtocol;

namespace ActorPipeline.Coordinator;

/// <summary>Journal events and the snapshot: each starts with its format version.</summary>
public sealed partial class QueueMessageSerializer
{
    private static void WriteJournal(ref WireWriter w, IQueueEvent e)
    {
        switch (e)
        {
            case EventGroup m:
                WriteGroup(ref w, m);
                break;
            case ItemsAccepted m:
                w.WriteString(m.ProducerId, "ItemsAccepted.ProducerId");
                w.WriteInt64(m.SequenceNr);
                w.WriteInt64(m.FirstItemId);
                w.WriteCount(m.Items.Count, "ItemsAccepted.Items");
                for (var i = 0; i < m.Items.Count; i++)
                {
                    WriteItem(ref w, m.Items[i]);
                }

                w.WriteBool(m.PutComplete);
                break;
            case ItemsDelivered m:
                w.WriteInt64(m.FirstDeliveryId);
                WriteIds(ref w, m.ItemIds, "ItemsDelivered.ItemIds");
                break;
            case ItemsCompleted m:
                WriteIds(ref w, m.ItemIds, "ItemsCompleted.ItemIds");
                break;
            case ItemsRequeued m:
                WriteIds(ref w, m.DeliveryIds, "ItemsRequeued.DeliveryIds");
                break;
            case AcksIgnored m:
                w.WriteInt64(m.Count);
                break;
            case ItemDeadLettered m:
                w.WriteInt64(m.ItemId);
                w.WriteInt64(m.DeliveryId);
                w.WriteInt32(m.Attempts);
                w.WriteString(m.Error, "ItemDeadLettered.Error");
                break;
            case DeadLettersRequeued m:
                WriteIds(ref w, m.ItemIds, "DeadLettersRequeued.ItemIds", MaxStateListCount);
                break;
            case ProducerAnnounced m:
                w.WriteString(m.ProducerId, "ProducerAnnounced.ProducerId");
                w.WriteString(m.Node, "ProducerAnnounced.Node");
                w.WriteInt32(m.NodeProducers);
                break;
            case ProducerCompleted m:
                w.WriteString(m.ProducerId, "ProducerCompleted.ProducerId");
                break;
            case ProducerLost m:
                w.WriteString(m.ProducerId, "ProducerLost.ProducerId");
                break;
            case ShutdownRequested m:
                w.WriteBool(m.Immediate);
                break;
            case IncarnationStarted m:
                w.WriteInt64(m.Incarnation);
                break;
            case RunFinished m:
                w.WriteInt64(m.RunNumber);
                break;
            case RunStarted m:
                w.WriteInt64(m.RunNumber);
                break;
            case CoordinatorSnapshot m:
                WriteSnapshot(ref w, m);
                break;
            default:
                throw UnknownType(e);
        }
    }

    /// <param name="r">The bytes.</param>
    /// <param name="manifest">What they hold.</param>
    /// <param name="inGroup">Read inside an <see cref="EventGroup"/>, which only this version writes: every field is there, so the end of the bytes is never an older, shorter form.</param>
    private static object ReadJournal(ref WireReader r, string manifest, bool inGroup = false)
    {
        var version = r.ReadByte("the format version");
        var newest = manifest == CoordinatorSnapshotManifest ? SnapshotFormatVersion : FormatVersion;
        if (version < 1 || version > newest)
        {
            var known = newest == 1 ? "only version 1" : $"versions 1 to {newest}";
            throw new SerializationException(
                $"Queue journal data with manifest '{manifest}' has format version {version} (byte 0 of {r.Length}), " +
                $"but this code reads {known}{(version > newest ? "; it was written by newer code" : string.Empty)}.");
        }

        switch (manifest)
        {
            case EventGroupManifest:
                return ReadGroup(ref r);
            case ItemsAcceptedManifest:
                return new ItemsAccepted(
                    r.ReadString("ItemsAccepted.ProducerId"),
                    r.ReadInt64("ItemsAccepted.SequenceNr"),
                    r.ReadInt64("ItemsAccepted.FirstItemId"),
                    ReadItems(ref r, "ItemsAccepted.Items"),
                    r.ReadBool("ItemsAccepted.PutComplete"));
            case ItemsDeliveredManifest:
                return new ItemsDelivered(r.ReadInt64("ItemsDelivered.FirstDeliveryId"), ReadIds(ref r, "ItemsDelivered.ItemIds"));
            case ItemsCompletedManifest:
                return new ItemsCompleted(ReadIds(ref r, "ItemsCompleted.ItemIds"));
            case ItemsRequeuedManifest:
                return new ItemsRequeued(ReadIds(ref r, "ItemsRequeued.DeliveryIds"));
            case AcksIgnoredManifest:
                return new AcksIgnored(r.ReadInt64("AcksIgnored.Count"));
            case ItemDeadLetteredManifest:
                return new ItemDeadLettered(
                    r.ReadInt64("ItemDeadLettered.ItemId"),
                    r.ReadInt64("ItemDeadLettered.DeliveryId"),
                    r.ReadInt32("ItemDeadLettered.Attempts"),
                    r.ReadString("ItemDeadLettered.Error"));
            case DeadLettersRequeuedManifest:
                return new DeadLettersRequeued(ReadIds(ref r, "DeadLettersRequeued.ItemIds", MaxStateListCount));
            case ProducerAnnouncedManifest:
                // Journals written before node names hold the id alone.
                var announced = r.ReadString("ProducerAnnounced.ProducerId");
                return r.AtEnd && !inGroup
                    ? new ProducerAnnounced(announced)
                    : new ProducerAnnounced(announced, r.ReadString("ProducerAnnounced.Node"), ReadNodeProducers(ref r, "ProducerAnnounced.NodeProducers"));
            case ProducerCompletedManifest:
                return new ProducerCompleted(r.ReadString("ProducerCompleted.ProducerId"));
            case ProducerLostManifest:
                return new ProducerLost(r.ReadString("ProducerLost.ProducerId"));
            case ShutdownRequestedManifest:
                return new ShutdownRequested(r.ReadBool("ShutdownRequested.Immediate"));
            case IncarnationStartedManifest:
                return new IncarnationStarted(r.ReadInt64("IncarnationStarted.Incarnation"));
            case RunFinishedManifest:
                return new RunFinished(r.ReadInt64("RunFinished.RunNumber"));
            case RunStartedManifest:
                return new RunStarted(r.ReadInt64("RunStarted.RunNumber"));
            case CoordinatorSnapshotManifest:
                return ReadSnapshot(ref r, version);
            default:
                // An event this code does not know (written by newer code?): recovery must stop, not skip it.
                throw UnknownManifest(manifest, r.Length);
        }
    }

    /// <summary>A count, then each event as its manifest and its own version and fields; groups and snapshots do not nest.</summary>
    private static void WriteGroup(ref WireWriter w, EventGroup group)
    {
        w.WriteCount(group.Events.Count, "EventGroup.Events");
        for (var i = 0; i < group.Events.Count; i++)
        {
            var e = group.Events[i];
            if (e is EventGroup or CoordinatorSnapshot)
            {
                throw new ArgumentException($"An {nameof(EventGroup)} holds single events only, not a {e.GetType().Name}.", nameof(group));
            }

            w.WriteString(JournalManifest(e), "EventGroup.Events.Manifest");
            w.WriteByte(FormatVersion);
            WriteJournal(ref w, e);
        }
    }

    private static EventGroup ReadGroup(ref WireReader r)
    {
        // An entry is at least an empty manifest's length and a version byte.
        var count = r.ReadCount(sizeof(int) + sizeof(byte), "EventGroup.Events");
        var events = new IQueueEvent[count];
        for (var i = 0; i < events.Length; i++)
        {
            var manifest = r.ReadString("EventGroup.Events.Manifest");
            if (!manifest.StartsWith('E') || manifest == EventGroupManifest)
            {
                throw r.Malformed($"EventGroup.Events[{i}] has manifest '{manifest}', which is not a single journal event");
            }

            try
            {
                events[i] = (IQueueEvent)ReadJournal(ref r, manifest, inGroup: true);
            }
            catch (SerializationException e)
            {
                // An unknown manifest or format version inside: name the group and the place, as every other problem does.
                throw r.Malformed($"EventGroup.Events[{i}]: {e.Message}", e);
            }
        }

        return new EventGroup(events);
    }

    /// <summary>The journal's manifests, most frequent first.</summary>
    private static string JournalManifest(IQueueEvent e) => e switch
    {
        EventGroup => EventGroupManifest,
        ItemsAccepted => ItemsAcceptedManifest,
        ItemsDelivered => ItemsDeliveredManifest,
        ItemsCompleted => ItemsCompletedManifest,
        ItemsRequeued => ItemsRequeuedManifest,
        AcksIgnored => AcksIgnoredManifest,
        ItemDeadLettered => ItemDeadLetteredManifest,
        DeadLettersRequeued => DeadLettersRequeuedManifest,
        ProducerAnnounced => ProducerAnnouncedManifest,
        ProducerCompleted => ProducerCompletedManifest,
        ProducerLost => ProducerLostManifest,
        ShutdownRequested => ShutdownRequestedManifest,
        IncarnationStarted => IncarnationStartedManifest,
        RunFinished => RunFinishedManifest,
        RunStarted => RunStartedManifest,
        CoordinatorSnapshot => CoordinatorSnapshotManifest,
        _ => throw UnknownType(e),
    };

    private static void WriteSnapshot(ref WireWriter w, CoordinatorSnapshot s)
    {
        w.WriteInt64(s.RunNumber);
        w.WriteBool(s.RunFinished);
        w.WriteInt64(s.Incarnation);
        w.WriteInt64(s.LastItemId);
        w.WriteInt64(s.LastDeliveryId);
        w.WriteInt64(s.Accepted);
        w.WriteInt64(s.Completed);
        w.WriteInt64(s.Dropped);
        w.WriteInt64(s.Redelivered);
        w.WriteInt64(s.DuplicateAcks);
        w.WriteBool(s.ShutDown);
        w.WriteBool(s.ShutDownImmediately);

        w.WriteCount(s.Items.Count, "CoordinatorSnapshot.Items", MaxStateListCount);
        for (var i = 0; i < s.Items.Count; i++)
        {
            var item = s.Items[i];
            w.WriteInt64(item.Id);
            WriteItem(ref w, item.Item);
            WriteIds(ref w, item.DeliveryIds, "CoordinatorSnapshot.Items.DeliveryIds");
            w.WriteInt64(item.CurrentDelivery);
        }

        w.WriteCount(s.Producers.Count, "CoordinatorSnapshot.Producers");
        for (var i = 0; i < s.Producers.Count; i++)
        {
            var producer = s.Producers[i];
            w.WriteString(producer.Id, "CoordinatorSnapshot.Producers.Id");
            w.WriteInt64(producer.HighestAccepted);
            w.WriteInt64(producer.Accepted);
            w.WriteBool(producer.Announced);
            w.WriteBool(producer.Done);
            w.WriteBool(producer.Lost);
            w.WriteInt64(producer.PartialSequenceNr);
            w.WriteInt32(producer.PartialAdmitted);
            w.WriteString(producer.Node, "CoordinatorSnapshot.Producers.Node");
            w.WriteInt32(producer.NodeProducers);
        }

        WriteDeadLetteredItems(ref w, s.DeadLetters, inSnapshot: true);
    }

    private static CoordinatorSnapshot ReadSnapshot(ref WireReader r, byte version) => new(
        r.ReadInt64("CoordinatorSnapshot.RunNumber"),
        r.ReadBool("CoordinatorSnapshot.RunFinished"),
        r.ReadInt64("CoordinatorSnapshot.Incarnation"),
        r.ReadInt64("CoordinatorSnapshot.LastItemId"),
        r.ReadInt64("CoordinatorSnapshot.LastDeliveryId"),
        r.ReadInt64("CoordinatorSnapshot.Accepted"),
        r.ReadInt64("CoordinatorSnapshot.Completed"),
        r.ReadInt64("CoordinatorSnapshot.Dropped"),
        version >= 2 ? r.ReadInt64("CoordinatorSnapshot.Redelivered") : 0,
        version >= 2 ? r.ReadInt64("CoordinatorSnapshot.DuplicateAcks") : 0,
        r.ReadBool("CoordinatorSnapshot.ShutDown"),
        r.ReadBool("CoordinatorSnapshot.ShutDownImmediately"),
        ReadSnapshotItems(ref r, version),
        ReadSnapshotProducers(ref r, version),
        ReadDeadLetteredItems(ref r, inSnapshot: true));

    private static SnapshotItem[] ReadSnapshotItems(ref WireReader r, byte version)
    {
        var count = r.ReadCount(version >= 2 ? SnapshotItemMinBytes + sizeof(long) : SnapshotItemMinBytes, "CoordinatorSnapshot.Items", MaxStateListCount);
        if (count == 0)
        {
            return [];
        }

        var items = new SnapshotItem[count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = new SnapshotItem(
                r.ReadInt64("CoordinatorSnapshot.Items.Id"),
                ReadItem(ref r, "CoordinatorSnapshot.Items.Item"),
                ReadIds(ref r, "CoordinatorSnapshot.Items.DeliveryIds"),
                version >= 2 ? r.ReadInt64("CoordinatorSnapshot.Items.CurrentDelivery") : 0);
        }

        return items;
    }

    private static SnapshotProducer[] ReadSnapshotProducers(ref WireReader r, byte version)
    {
        var minBytes = version switch
        {
            >= 3 => SnapshotProducerMinBytes + sizeof(long) + sizeof(int) + sizeof(int) + sizeof(int),
            2 => SnapshotProducerMinBytes + sizeof(long) + sizeof(int),
            _ => SnapshotProducerMinBytes,
        };
        var count = r.ReadCount(minBytes, "CoordinatorSnapshot.Producers");
        if (count == 0)
        {
            return [];
        }

        var producers = new SnapshotProducer[count];
        for (var i = 0; i < producers.Length; i++)
        {
            producers[i] = new SnapshotProducer(
                r.ReadString("CoordinatorSnapshot.Producers.Id"),
                r.ReadInt64("CoordinatorSnapshot.Producers.HighestAccepted"),
                r.ReadInt64("CoordinatorSnapshot.Producers.Accepted"),
                r.ReadBool("CoordinatorSnapshot.Producers.Announced"),
                r.ReadBool("CoordinatorSnapshot.Producers.Done"),
                r.ReadBool("CoordinatorSnapshot.Producers.Lost"),
                version >= 2 ? r.ReadInt64("CoordinatorSnapshot.Producers.PartialSequenceNr") : long.MinValue,
                version >= 2 ? r.ReadInt32("CoordinatorSnapshot.Producers.PartialAdmitted") : 0,
                version >= 3 ? r.ReadString("CoordinatorSnapshot.Producers.Node") : string.Empty,
                version >= 3 ? ReadNodeProducers(ref r, "CoordinatorSnapshot.Producers.NodeProducers") : 0);
        }

        return producers;
    }
}
