using System.Runtime.Serialization;
using static ActorPipeline.Coordinator.QueueEvents;
using static ActorPipeline.Coordinator.QueueProtocol;

namespace ActorPipeline.Coordinator;

/// <summary>The fields several messages share: items, deliveries, dead letters, id lists.</summary>
public sealed partial class QueueMessageSerializer
{
    private static void WriteItem(ref WireWriter w, QueueItem item)
    {
        w.WritePayload(item.Payload.Span);
        w.WriteDateTime(item.PutAt);
    }

    /// <summary>A node's producer count: never negative, as a node runs at least none.</summary>
    private static int ReadNodeProducers(ref WireReader r, string field)
    {
        var count = r.ReadInt32(field);
        return count >= 0 ? count : throw r.Malformed($"{field} is {count}, below zero");
    }

    private static QueueItem ReadItem(ref WireReader r, string field) =>
        new(r.ReadPayload(field), r.ReadDateTime(field));

    private static QueueItem[] ReadItems(ref WireReader r, string field)
    {
        var count = r.ReadCount(QueueItemMinBytes, field);
        if (count == 0)
        {
            return [];
        }

        var items = new QueueItem[count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = ReadItem(ref r, field);
        }

        return items;
    }

    private static DeliveredItem[] ReadDeliveredItems(ref WireReader r)
    {
        var count = r.ReadCount(DeliveredItemMinBytes, "Delivery.Items");
        if (count == 0)
        {
            return [];
        }

        var items = new DeliveredItem[count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = new DeliveredItem(r.ReadInt64("Delivery.Items.DeliveryId"), ReadItem(ref r, "Delivery.Items.Item"));
        }

        return items;
    }

    /// <summary>Dead letters of a <see cref="DeadLetters"/> reply or, with a higher limit, of a snapshot.</summary>
    private static void WriteDeadLetteredItems(ref WireWriter w, IReadOnlyList<DeadLetteredItem> items, bool inSnapshot)
    {
        w.WriteCount(
            items.Count,
            inSnapshot ? "CoordinatorSnapshot.DeadLetters" : "DeadLetters.Items",
            inSnapshot ? MaxStateListCount : MaxListCount);
        var errorField = inSnapshot ? "CoordinatorSnapshot.DeadLetters.Error" : "DeadLetters.Items.Error";
        for (var i = 0; i < items.Count; i++)
        {
            var dead = items[i];
            w.WriteInt64(dead.ItemId);
            w.WriteInt64(dead.DeliveryId);
            WriteItem(ref w, dead.Item);
            w.WriteInt32(dead.Attempts);
            w.WriteString(dead.Error, errorField);
        }
    }

    private static DeadLetteredItem[] ReadDeadLetteredItems(ref WireReader r, bool inSnapshot)
    {
        var count = r.ReadCount(
            DeadLetteredItemMinBytes,
            inSnapshot ? "CoordinatorSnapshot.DeadLetters" : "DeadLetters.Items",
            inSnapshot ? MaxStateListCount : MaxListCount);
        if (count == 0)
        {
            return [];
        }

        // Constant names, chosen once: the error messages say which list without building strings per entry.
        var (itemIdField, deliveryIdField, itemField, attemptsField, errorField) = inSnapshot
            ? ("CoordinatorSnapshot.DeadLetters.ItemId", "CoordinatorSnapshot.DeadLetters.DeliveryId", "CoordinatorSnapshot.DeadLetters.Item",
                "CoordinatorSnapshot.DeadLetters.Attempts", "CoordinatorSnapshot.DeadLetters.Error")
            : ("DeadLetters.Items.ItemId", "DeadLetters.Items.DeliveryId", "DeadLetters.Items.Item", "DeadLetters.Items.Attempts", "DeadLetters.Items.Error");
        var items = new DeadLetteredItem[count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = new DeadLetteredItem(
                r.ReadInt64(itemIdField), r.ReadInt64(deliveryIdField), ReadItem(ref r, itemField), r.ReadInt32(attemptsField), r.ReadString(errorField));
        }

        return items;
    }

    private static void WriteIds(ref WireWriter w, IReadOnlyList<long> ids, string field, int limit = MaxListCount)
    {
        w.WriteCount(ids.Count, field, limit);
        for (var i = 0; i < ids.Count; i++)
        {
            w.WriteInt64(ids[i]);
        }
    }

    private static long[] ReadIds(ref WireReader r, string field, int limit = MaxListCount)
    {
        var count = r.ReadCount(sizeof(long), field, limit);
        if (count == 0)
        {
            return [];
        }

        var ids = new long[count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = r.ReadInt64(field);
        }

        return ids;
    }
}
