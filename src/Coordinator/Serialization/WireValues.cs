using System.Runtime.Serialization;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Collections;
using W = ActorPipeline.Coordinator.Wire;

namespace ActorPipeline.Coordinator.Serialization;

/// <summary>
/// The values the generated types cannot check for themselves, both ways: limits on strings, payloads
/// and lists, put times as UTC ticks, enums, and the columns of an <see cref="W.ItemBatch"/>. Writing
/// refuses what a peer would refuse to read (a <see cref="SerializationException"/> naming the field),
/// so a sender learns of a limit rather than its peer; reading throws <see cref="WireFormatException"/>.
/// </summary>
internal static class WireValues
{
    private const int MaxListCount = QueueMessageSerializer.MaxListCount;

    // ---- strings

    /// <summary>
    /// A string to write. Lone surrogates become U+FFFD first (UTF-8 cannot carry them, and Protocol
    /// Buffers refuses to encode them), so an error message with one still gets through.
    /// </summary>
    public static string Out(string value, string field)
    {
        if (value.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0)
        {
            value = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(value)); // surrogate pairs survive, lone ones are replaced
        }

        if (OverStringLimit(value))
        {
            throw new SerializationException(
                $"Cannot serialize {field}: {Encoding.UTF8.GetByteCount(value)} UTF-8 bytes exceed the limit of {QueueMessageSerializer.MaxStringBytes}.");
        }

        return value;
    }

    /// <summary>A string read: the parser has checked its UTF-8, this its length.</summary>
    public static string In(string value, string field) =>
        !OverStringLimit(value)
            ? value
            : throw new WireFormatException($"{field} is {Encoding.UTF8.GetByteCount(value)} bytes long, over the limit of {QueueMessageSerializer.MaxStringBytes}");

    /// <summary>A nested message that every writer sets: absent, the bytes were cut at a field boundary or are not what the manifest says.</summary>
    public static T Required<T>(T? message, string field)
        where T : class =>
        message ?? throw new WireFormatException($"{field} is missing");

    /// <summary>A node's producer count, never negative.</summary>
    public static int NodeProducers(int count, string field) =>
        count >= 0 ? count : throw new WireFormatException($"{field} is {count}, below zero");

    // ---- lists

    /// <summary>Ids to write, for a repeated field's initializer: refused over the limit, else copied in one block.</summary>
    public static IReadOnlyList<long> Out(IReadOnlyList<long> ids, string field, int limit = MaxListCount)
    {
        OutCount(ids.Count, field, limit);
        return ids;
    }

    /// <summary>Ids read: the parsed list itself, which the record then holds (no copy).</summary>
    public static IReadOnlyList<long> In(RepeatedField<long> ids, string field, int limit = MaxListCount)
    {
        InCount(ids.Count, field, limit);
        return ids.Count == 0 ? [] : ids;
    }

    public static void OutCount(int count, string field, int limit = MaxListCount)
    {
        if (count > limit)
        {
            throw new SerializationException($"Cannot serialize {field}: {count} entries exceed the limit of {limit}.");
        }
    }

    public static void InCount(int count, string field, int limit = MaxListCount)
    {
        if (count > limit)
        {
            throw new WireFormatException($"{field} has {count} entries, over the limit of {limit}");
        }
    }

    /// <summary>Entries of a list of messages, each mapped, refused over the limit.</summary>
    public static TRecord[] In<TWire, TRecord>(RepeatedField<TWire> entries, Func<TWire, string, TRecord> map, string field, int limit = MaxListCount)
    {
        InCount(entries.Count, field, limit);
        if (entries.Count == 0)
        {
            return [];
        }

        var records = new TRecord[entries.Count];
        for (var i = 0; i < records.Length; i++)
        {
            records[i] = map(entries[i], field);
        }

        return records;
    }

    /// <summary>Entries to write, each mapped, for a repeated field's initializer; refused over the limit.</summary>
    public static IEnumerable<TWire> Out<TRecord, TWire>(IReadOnlyList<TRecord> records, Func<TRecord, string, TWire> map, string field, int limit = MaxListCount)
    {
        OutCount(records.Count, field, limit);
        return records.Select(record => map(record, field));
    }

    // ---- items

    public static W.Item Out(QueueItem item, string field) =>
        new() { Payload = OutPayload(item.Payload, field), PutAtTicks = Ticks(item.PutAt) };

    public static QueueItem In(W.Item? item, string field)
    {
        // Always written: absent, the bytes were cut at a field boundary or are not what the manifest says.
        if (item is null)
        {
            throw new WireFormatException($"{field} has no item");
        }

        InPayloadLength(item.Payload.Length, field);
        // The parser copied the payload into a ByteString of its own, which nothing else refers to.
        return new QueueItem(item.Payload.Length == 0 ? ReadOnlyMemory<byte>.Empty : item.Payload.Memory, PutAt(item.PutAtTicks, field));
    }

    /// <summary>Items as columns: their lengths, their payloads end to end, their put times.</summary>
    public static W.ItemBatch Out(IReadOnlyList<QueueItem> items, string field, int limit = MaxListCount) => Out(items, default(ItemItself), field, limit);

    /// <summary>The items of deliveries as an <see cref="W.ItemBatch"/>, without a list of them first.</summary>
    public static W.ItemBatch Out(IReadOnlyList<DeliveredItem> deliveries, string field) => Out(deliveries, default(ItemOfDelivery), field, MaxListCount);

    // A struct picks each entry's item, so that the JIT compiles the loops below once per kind of entry, with the pick inlined.
    private static W.ItemBatch Out<T, TItemOf>(IReadOnlyList<T> entries, TItemOf itemOf, string field, int limit)
        where TItemOf : struct, IItemOf<T>
    {
        OutCount(entries.Count, field, limit);
        var batch = new W.ItemBatch();
        if (entries.Count == 0)
        {
            return batch;
        }

        // First the fixed-width columns and the payloads' total, then the payloads in one array of that size.
        var lengths = batch.PayloadLengths;
        var ticks = batch.PutAtTicks;
        lengths.Capacity = entries.Count;
        ticks.Capacity = entries.Count;
        long total = 0;
        for (var i = 0; i < entries.Count; i++)
        {
            var item = itemOf.Of(entries[i]);
            var length = item.Payload.Length;
            OutPayloadLength(length, field);
            total += length;
            lengths.Add((uint)length);
            ticks.Add(Ticks(item.PutAt));
        }

        if (total > Array.MaxLength)
        {
            throw new SerializationException($"Cannot serialize {field}: {total} payload bytes are more than one message can hold.");
        }

        var payloads = GC.AllocateUninitializedArray<byte>((int)total);
        var offset = 0;
        for (var i = 0; i < entries.Count; i++)
        {
            var payload = itemOf.Of(entries[i]).Payload.Span;
            payload.CopyTo(payloads.AsSpan(offset));
            offset += payload.Length;
        }

        batch.Payloads = UnsafeByteOperations.UnsafeWrap(payloads); // ours alone, so no second copy
        return batch;
    }

    public static QueueItem[] In(W.ItemBatch? batch, string field, int limit = MaxListCount)
    {
        if (batch is null)
        {
            throw new WireFormatException($"{field} is missing (an empty batch is written as one)");
        }

        var (lengths, ticks) = (batch.PayloadLengths, batch.PutAtTicks);
        if (lengths.Count != ticks.Count)
        {
            throw new WireFormatException($"{field} has {lengths.Count} payload lengths but {ticks.Count} put times");
        }

        InCount(lengths.Count, field, limit);
        var payloads = batch.Payloads.Span;
        if (lengths.Count == 0)
        {
            return payloads.IsEmpty ? [] : throw new WireFormatException($"{field} has {payloads.Length} payload bytes but no items");
        }

        var items = new QueueItem[lengths.Count];
        var offset = 0;
        for (var i = 0; i < items.Length; i++)
        {
            var length = lengths[i];
            InPayloadLength(length, field);
            if (length > (uint)(payloads.Length - offset))
            {
                throw new WireFormatException($"truncated: {field}'s payload lengths add up to more than its {payloads.Length} payload bytes");
            }

            // Each payload copied out on its own: one long-lived item must not keep its whole batch's bytes alive.
            var payload = length == 0 ? ReadOnlyMemory<byte>.Empty : payloads.Slice(offset, (int)length).ToArray();
            offset += (int)length;
            items[i] = new QueueItem(payload, PutAt(ticks[i], field));
        }

        return offset == payloads.Length
            ? items
            : throw new WireFormatException($"{field} has {payloads.Length - offset} payload bytes that no item's length covers");
    }

    public static W.DeadLetteredItem Out(DeadLetteredItem dead, string field) => new()
    {
        ItemId = dead.ItemId,
        DeliveryId = dead.DeliveryId,
        Item = Out(dead.Item, field),
        Attempts = dead.Attempts,
        Error = Out(dead.Error, field), // the list's name: no string built per entry
        Job = OutJob(dead.Job, field),
    };

    public static DeadLetteredItem In(W.DeadLetteredItem dead, string field) =>
        new(dead.ItemId, dead.DeliveryId, In(dead.Item, field), dead.Attempts, In(dead.Error, field), InJob(dead.Job, field));

    // ---- jobs

    /// <summary>A job id to write: the run's is written as empty, as everything was before jobs, so a batch run's wire is unchanged.</summary>
    public static string OutJob(string jobId, string field) => jobId == JobIds.Run ? string.Empty : Out(jobId, field);

    /// <summary>A job id read: empty is the run's (and all that was written before jobs).</summary>
    public static string InJob(string jobId, string field) => jobId.Length == 0 ? JobIds.Run : In(jobId, field);

    /// <summary>A time to write: UTC ticks, 0 for none.</summary>
    public static long OutTime(DateTime? value) => value is { } at ? Ticks(at) : 0;

    /// <summary>A time read: 0 is none.</summary>
    public static DateTime? InTime(long ticks, string field) => ticks == 0 ? null : PutAt(ticks, field);

    public static W.JobPhase Out(JobPhase phase) => phase switch
    {
        JobPhase.Open => W.JobPhase.Open,
        JobPhase.Closed => W.JobPhase.Closed,
        JobPhase.Settled => W.JobPhase.Settled,
        JobPhase.Cancelled => W.JobPhase.Cancelled,
        _ => throw new SerializationException($"Cannot serialize a job's phase {(int)phase}: not a defined {nameof(JobPhase)}."),
    };

    public static JobPhase In(W.JobPhase phase) => phase switch
    {
        W.JobPhase.Open => JobPhase.Open,
        W.JobPhase.Closed => JobPhase.Closed,
        W.JobPhase.Settled => JobPhase.Settled,
        W.JobPhase.Cancelled => JobPhase.Cancelled,
        _ => throw new WireFormatException($"A job's phase is enum value {(int)phase}, not a defined {nameof(JobPhase)}"),
    };

    public static W.JobProducer Out(JobProtocol.JobProducer producer, string field) =>
        new() { ProducerId = Out(producer.ProducerId, field), Accepted = producer.Accepted };

    public static JobProtocol.JobProducer In(W.JobProducer producer, string field) => new(In(producer.ProducerId, field), producer.Accepted);

    // ---- the operator's overview

    public static W.ConsumerOverview Out(ConsumerOverview consumer, string field) =>
        new() { Consumer = Out(consumer.Consumer, field), InHand = consumer.InHand, Completed = consumer.Completed, Connected = consumer.Connected };

    public static ConsumerOverview In(W.ConsumerOverview consumer, string field) =>
        new(In(consumer.Consumer, field), consumer.InHand, consumer.Completed, consumer.Connected);

    public static W.ProducerOverview Out(ProducerOverview producer, string field) => new()
    {
        ProducerId = Out(producer.ProducerId, field), Node = Out(producer.Node, field), Phase = Out(producer.Phase), Accepted = producer.Accepted,
    };

    public static ProducerOverview In(W.ProducerOverview producer, string field) =>
        new(In(producer.ProducerId, field), In(producer.Node, field), In(producer.Phase), producer.Accepted);

    public static W.DeadLetterOverview Out(DeadLetterOverview dead, string field) => new()
    {
        ItemId = dead.ItemId, Attempts = dead.Attempts, Error = Out(dead.Error, field), PayloadStart = OutPayload(dead.PayloadStart, field), PayloadLength = dead.PayloadLength,
    };

    public static DeadLetterOverview In(W.DeadLetterOverview dead, string field)
    {
        if (dead.PayloadLength < dead.PayloadStart.Length || dead.PayloadLength > QueueMessageSerializer.MaxPayloadBytes)
        {
            throw new WireFormatException($"{field} has a payload of {dead.PayloadLength} bytes that starts with {dead.PayloadStart.Length}");
        }

        return new(dead.ItemId, dead.Attempts, In(dead.Error, field), dead.PayloadStart.ToByteArray(), dead.PayloadLength);
    }

    public static W.LatencySummary Out(LatencySummary latency) => new()
    {
        Count = latency.Count, WindowTicks = latency.Window.Ticks, P50 = latency.P50, P90 = latency.P90, P99 = latency.P99, Max = latency.Max,
    };

    public static LatencySummary In(W.LatencySummary latency)
    {
        if (latency.Count < 0 || latency.WindowTicks < 0)
        {
            throw new WireFormatException($"QueueOverview.Latency has a count of {latency.Count} over {latency.WindowTicks} ticks");
        }

        foreach (var seconds in (ReadOnlySpan<double>)[latency.P50, latency.P90, latency.P99, latency.Max])
        {
            if (!double.IsFinite(seconds) || seconds < 0)
            {
                throw new WireFormatException($"QueueOverview.Latency has a percentile of {seconds} s");
            }
        }

        return new LatencySummary(latency.Count, TimeSpan.FromTicks(latency.WindowTicks), latency.P50, latency.P90, latency.P99, latency.Max);
    }

    // ---- put times and enums

    /// <summary>
    /// UTC ticks. A local time is converted so the instant survives; an unspecified kind is taken as UTC
    /// already (converting it would shift it by this machine's offset), which is what the producers send.
    /// </summary>
    public static long Ticks(DateTime value) => value.Kind == DateTimeKind.Local ? value.ToUniversalTime().Ticks : value.Ticks;

    public static DateTime PutAt(long ticks, string field) =>
        (ulong)ticks <= (ulong)DateTime.MaxValue.Ticks
            ? new DateTime(ticks, DateTimeKind.Utc)
            : throw new WireFormatException($"{field} has a put time of {ticks} ticks, outside DateTime's range");

    public static W.PutRejection Out(PutRejection reason) => reason switch
    {
        PutRejection.Full => W.PutRejection.Full,
        PutRejection.ShutDown => W.PutRejection.ShutDown,
        PutRejection.TooLarge => W.PutRejection.TooLarge,
        PutRejection.RunOver => W.PutRejection.RunOver,
        PutRejection.RunEnded => W.PutRejection.RunEnded,
        PutRejection.Withdrawn => W.PutRejection.Withdrawn,
        PutRejection.JobClosed => W.PutRejection.JobClosed,
        PutRejection.NoSuchJob => W.PutRejection.NoSuchJob,
        _ => throw new SerializationException($"Cannot serialize PutRejected.Reason {(int)reason}: not a defined {nameof(PutRejection)}."),
    };

    public static PutRejection In(W.PutRejection reason) => reason switch
    {
        W.PutRejection.Full => PutRejection.Full,
        W.PutRejection.ShutDown => PutRejection.ShutDown,
        W.PutRejection.TooLarge => PutRejection.TooLarge,
        W.PutRejection.RunOver => PutRejection.RunOver,
        W.PutRejection.RunEnded => PutRejection.RunEnded,
        W.PutRejection.Withdrawn => PutRejection.Withdrawn,
        W.PutRejection.JobClosed => PutRejection.JobClosed,
        W.PutRejection.NoSuchJob => PutRejection.NoSuchJob,
        _ => throw new WireFormatException($"PutRejected.Reason is enum value {(int)reason}, not a defined {nameof(PutRejection)}"),
    };

    public static W.ProducerPhase Out(ProducerPhase phase) => phase switch
    {
        ProducerPhase.Unregistered => W.ProducerPhase.Unregistered,
        ProducerPhase.Active => W.ProducerPhase.Active,
        ProducerPhase.Done => W.ProducerPhase.Done,
        ProducerPhase.Lost => W.ProducerPhase.Lost,
        ProducerPhase.Stopped => W.ProducerPhase.Stopped,
        _ => throw new SerializationException($"Cannot serialize ProducerOverview.Phase {(int)phase}: not a defined {nameof(ProducerPhase)}."),
    };

    public static ProducerPhase In(W.ProducerPhase phase) => phase switch
    {
        W.ProducerPhase.Unregistered => ProducerPhase.Unregistered,
        W.ProducerPhase.Active => ProducerPhase.Active,
        W.ProducerPhase.Done => ProducerPhase.Done,
        W.ProducerPhase.Lost => ProducerPhase.Lost,
        W.ProducerPhase.Stopped => ProducerPhase.Stopped,
        _ => throw new WireFormatException($"ProducerOverview.Phase is enum value {(int)phase}, not a defined {nameof(ProducerPhase)}"),
    };

    private static ByteString OutPayload(ReadOnlyMemory<byte> payload, string field)
    {
        OutPayloadLength(payload.Length, field);
        return UnsafeByteOperations.UnsafeWrap(payload); // written out before the caller can change it
    }

    private static void OutPayloadLength(int length, string field)
    {
        if (length > QueueMessageSerializer.MaxPayloadBytes)
        {
            throw new SerializationException(
                $"Cannot serialize {field}: an item payload of {length} bytes is over the limit of {QueueMessageSerializer.MaxPayloadBytes}.");
        }
    }

    private static void InPayloadLength(long length, string field)
    {
        if (length > QueueMessageSerializer.MaxPayloadBytes)
        {
            throw new WireFormatException($"{field} has an item payload of {length} bytes, over the limit of {QueueMessageSerializer.MaxPayloadBytes}");
        }
    }

    private interface IItemOf<in T>
    {
        QueueItem Of(T entry);
    }

    private readonly struct ItemItself : IItemOf<QueueItem>
    {
        public QueueItem Of(QueueItem entry) => entry;
    }

    private readonly struct ItemOfDelivery : IItemOf<DeliveredItem>
    {
        public QueueItem Of(DeliveredItem entry) => entry.Item;
    }

    /// <summary>
    /// Whether a string is longer than the limit in UTF-8, without encoding it when its UTF-16 length
    /// settles the question (every char takes 1 to 3 bytes): short ids, the usual case, cost a compare.
    /// </summary>
    private static bool OverStringLimit(string value) =>
        (long)value.Length * 3 > QueueMessageSerializer.MaxStringBytes
        && (value.Length > QueueMessageSerializer.MaxStringBytes || Encoding.UTF8.GetByteCount(value) > QueueMessageSerializer.MaxStringBytes);
}
