using System.Runtime.Serialization;
using static ActorPipeline.Coordinator.QueueEvents;
using static ActorPipeline.Coordinator.QueueProtocol;

namespace ActorPipeline.Coordinator;

/// <summary>Protocol messages: no version byte, since they live only as long as a connection.</summary>
public sealed partial class QueueMessageSerializer
{
    private static void Write(ref WireWriter w, object obj)
    {
        switch (obj)
        {
            case Put m:
                w.WriteString(m.ProducerId, "Put.ProducerId");
                w.WriteInt64(m.SequenceNr);
                w.WriteCount(m.Items.Count, "Put.Items");
                for (var i = 0; i < m.Items.Count; i++)
                {
                    WriteItem(ref w, m.Items[i]);
                }

                w.WriteBool(m.Wait);
                break;
            case PutAccepted m:
                w.WriteString(m.ProducerId, "PutAccepted.ProducerId");
                w.WriteInt64(m.SequenceNr);
                w.WriteInt32(m.Count);
                break;
            case Delivery m:
                w.WriteCount(m.Items.Count, "Delivery.Items");
                for (var i = 0; i < m.Items.Count; i++)
                {
                    var delivered = m.Items[i];
                    w.WriteInt64(delivered.DeliveryId);
                    WriteItem(ref w, delivered.Item);
                }

                break;
            case TaskDone m:
                WriteIds(ref w, m.DeliveryIds, "TaskDone.DeliveryIds");
                break;
            case RequestWork m:
                w.WriteInt32(m.Window);
                WriteIds(ref w, m.Held, "RequestWork.Held");
                w.WriteInt64(m.LastSeen);
                break;
            case DeliveredUpTo m:
                w.WriteInt64(m.LastDeliveryId);
                break;
            case Get m:
                w.WriteInt32(m.Credits);
                w.WriteBool(m.Wait);
                break;
            case PutRejected m:
                w.WriteString(m.ProducerId, "PutRejected.ProducerId");
                w.WriteInt64(m.SequenceNr);
                w.WriteByte(m.Reason switch
                {
                    PutRejection.Full => 0,
                    PutRejection.ShutDown => 1,
                    PutRejection.TooLarge => 2,
                    PutRejection.RunOver => 3,
                    _ => throw new SerializationException($"Cannot serialize PutRejected.Reason {(int)m.Reason}: not a defined {nameof(PutRejection)}."),
                });
                w.WriteInt32(m.Accepted);
                break;
            case RegisterProducer m:
                w.WriteString(m.ProducerId, "RegisterProducer.ProducerId");
                w.WriteString(m.Node, "RegisterProducer.Node");
                w.WriteInt32(m.NodeProducers);
                break;
            case ProducerRegistered m:
                w.WriteString(m.ProducerId, "ProducerRegistered.ProducerId");
                w.WriteInt64(m.LastAcceptedSequenceNr);
                w.WriteInt64(m.AcceptedItems);
                break;
            case ProducerDone m:
                w.WriteString(m.ProducerId, "ProducerDone.ProducerId");
                w.WriteInt64(m.LastSequenceNr);
                break;
            case ProducerDoneAck m:
                w.WriteString(m.ProducerId, "ProducerDoneAck.ProducerId");
                break;
            case GetCancelled m:
                w.WriteInt32(m.Credits);
                break;
            case TaskDoneRejected m:
                w.WriteInt64(m.DeliveryId);
                w.WriteString(m.Reason, "TaskDoneRejected.Reason");
                break;
            case Release m:
                WriteIds(ref w, m.DeliveryIds, "Release.DeliveryIds");
                break;
            case TaskFailed m:
                w.WriteInt64(m.DeliveryId);
                w.WriteInt32(m.Attempts);
                w.WriteString(m.Error, "TaskFailed.Error");
                break;
            case RunCompleted m:
                WriteStatus(ref w, m.Status);
                break;
            case QueueStatus m:
                WriteStatus(ref w, m);
                break;
            case DeadLetters m:
                WriteDeadLetteredItems(ref w, m.Items, inSnapshot: false);
                break;
            case RequeueDeadLetters m:
                WriteIds(ref w, m.ItemIds, "RequeueDeadLetters.ItemIds");
                break;
            case DeadLettersRequeuedAck m:
                w.WriteInt32(m.Count);
                break;
            case Shutdown m:
                w.WriteBool(m.Immediate);
                break;
            case ShutdownAck m:
                w.WriteInt32(m.Dropped);
                break;
            case CancelGet or QueueEmpty or QueueShutDown or Join or Joined or JoinRun or GetStatus or GetDeadLetters:
                break;
            case IQueueEvent e:
                w.WriteByte(e is CoordinatorSnapshot ? SnapshotFormatVersion : FormatVersion);
                WriteJournal(ref w, e);
                break;
            default:
                throw UnknownType(obj);
        }
    }

    private static object Read(ref WireReader r, string manifest)
    {
        // Arguments are evaluated left to right, so each constructor call reads its fields in wire order.
        switch (manifest)
        {
            case PutManifest:
                return new Put(r.ReadString("Put.ProducerId"), r.ReadInt64("Put.SequenceNr"), ReadItems(ref r, "Put.Items"), r.ReadBool("Put.Wait"));
            case PutAcceptedManifest:
                return new PutAccepted(r.ReadString("PutAccepted.ProducerId"), r.ReadInt64("PutAccepted.SequenceNr"), r.ReadInt32("PutAccepted.Count"));
            case DeliveryManifest:
                return new Delivery(ReadDeliveredItems(ref r));
            case TaskDoneManifest:
                return new TaskDone(ReadIds(ref r, "TaskDone.DeliveryIds"));
            case RequestWorkManifest:
                return new RequestWork(r.ReadInt32("RequestWork.Window"), ReadIds(ref r, "RequestWork.Held"), r.ReadInt64("RequestWork.LastSeen"));
            case DeliveredUpToManifest:
                return new DeliveredUpTo(r.ReadInt64("DeliveredUpTo.LastDeliveryId"));
            case GetManifest:
                return new Get(r.ReadInt32("Get.Credits"), r.ReadBool("Get.Wait"));
            case PutRejectedManifest:
                return new PutRejected(
                    r.ReadString("PutRejected.ProducerId"), r.ReadInt64("PutRejected.SequenceNr"), ReadRejection(ref r), r.ReadInt32("PutRejected.Accepted"));
            case RegisterProducerManifest:
                // A node of the version before node names sends the id alone.
                var producerId = r.ReadString("RegisterProducer.ProducerId");
                return r.AtEnd
                    ? new RegisterProducer(producerId)
                    : new RegisterProducer(producerId, r.ReadString("RegisterProducer.Node"), ReadNodeProducers(ref r, "RegisterProducer.NodeProducers"));
            case ProducerRegisteredManifest:
                // A coordinator of the version before batched puts sends no item count.
                var registered = new ProducerRegistered(r.ReadString("ProducerRegistered.ProducerId"), r.ReadInt64("ProducerRegistered.LastAcceptedSequenceNr"));
                return r.AtEnd ? registered : registered with { AcceptedItems = r.ReadInt64("ProducerRegistered.AcceptedItems") };
            case ProducerDoneManifest:
                return new ProducerDone(r.ReadString("ProducerDone.ProducerId"), r.ReadInt64("ProducerDone.LastSequenceNr"));
            case ProducerDoneAckManifest:
                return new ProducerDoneAck(r.ReadString("ProducerDoneAck.ProducerId"));
            case CancelGetManifest:
                return CancelGet.Instance;
            case GetCancelledManifest:
                return new GetCancelled(r.ReadInt32("GetCancelled.Credits"));
            case QueueEmptyManifest:
                return QueueEmpty.Instance;
            case QueueShutDownManifest:
                return QueueShutDown.Instance;
            case TaskDoneRejectedManifest:
                return new TaskDoneRejected(r.ReadInt64("TaskDoneRejected.DeliveryId"), r.ReadString("TaskDoneRejected.Reason"));
            case ReleaseManifest:
                return new Release(ReadIds(ref r, "Release.DeliveryIds"));
            case TaskFailedManifest:
                return new TaskFailed(r.ReadInt64("TaskFailed.DeliveryId"), r.ReadInt32("TaskFailed.Attempts"), r.ReadString("TaskFailed.Error"));
            case JoinManifest:
                return Join.Instance;
            case JoinedManifest:
                return Joined.Instance;
            case JoinRunManifest:
                return JoinRun.Instance;
            case RunCompletedManifest:
                return new RunCompleted(ReadStatus(ref r));
            case GetStatusManifest:
                return GetStatus.Instance;
            case QueueStatusManifest:
                return ReadStatus(ref r);
            case GetDeadLettersManifest:
                return GetDeadLetters.Instance;
            case DeadLettersManifest:
                return new DeadLetters(ReadDeadLetteredItems(ref r, inSnapshot: false));
            case ShutdownManifest:
                return new Shutdown(r.ReadBool("Shutdown.Immediate"));
            case ShutdownAckManifest:
                return new ShutdownAck(r.ReadInt32("ShutdownAck.Dropped"));
            case RequeueDeadLettersManifest:
                return new RequeueDeadLetters(ReadIds(ref r, "RequeueDeadLetters.ItemIds"));
            case DeadLettersRequeuedAckManifest:
                return new DeadLettersRequeuedAck(r.ReadInt32("DeadLettersRequeuedAck.Count"));
            default:
                // A newer node's message, or garbage: say which, and let remoting drop it.
                throw UnknownManifest(manifest, r.Length);
        }
    }

    private static PutRejection ReadRejection(ref WireReader r)
    {
        var value = r.ReadByte("PutRejected.Reason");
        return value switch
        {
            0 => PutRejection.Full,
            1 => PutRejection.ShutDown,
            2 => PutRejection.TooLarge,
            3 => PutRejection.RunOver,
            _ => throw r.Malformed($"PutRejected.Reason is enum byte {value}, not a defined {nameof(PutRejection)}"),
        };
    }

    private static void WriteStatus(ref WireWriter w, QueueStatus s)
    {
        w.WriteInt32(s.Size);
        w.WriteInt32(s.InFlight);
        w.WriteInt32(s.Capacity);
        w.WriteBool(s.IsShutDown);
        w.WriteInt64(s.Accepted);
        w.WriteInt64(s.Completed);
        w.WriteInt64(s.DeadLettered);
        w.WriteInt64(s.Dropped);
        w.WriteInt64(s.Redelivered);
        w.WriteInt32(s.ParkedPuts);
        w.WriteInt32(s.WaitingGetters);
        w.WriteInt64(s.DuplicateAcks);
        w.WriteInt32(s.Consumers);
        w.WriteInt32(s.ExpectedProducers);
        w.WriteInt32(s.ProducersRegistered);
        w.WriteInt32(s.ProducersDone);
        w.WriteInt32(s.ProducersLost);
    }

    private static QueueStatus ReadStatus(ref WireReader r) => new(
        r.ReadInt32("QueueStatus.Size"),
        r.ReadInt32("QueueStatus.InFlight"),
        r.ReadInt32("QueueStatus.Capacity"),
        r.ReadBool("QueueStatus.IsShutDown"),
        r.ReadInt64("QueueStatus.Accepted"),
        r.ReadInt64("QueueStatus.Completed"),
        r.ReadInt64("QueueStatus.DeadLettered"),
        r.ReadInt64("QueueStatus.Dropped"),
        r.ReadInt64("QueueStatus.Redelivered"),
        r.ReadInt32("QueueStatus.ParkedPuts"),
        r.ReadInt32("QueueStatus.WaitingGetters"),
        r.ReadInt64("QueueStatus.DuplicateAcks"),
        r.ReadInt32("QueueStatus.Consumers"),
        r.ReadInt32("QueueStatus.ExpectedProducers"),
        r.ReadInt32("QueueStatus.ProducersRegistered"),
        r.ReadInt32("QueueStatus.ProducersDone"),
        r.ReadInt32("QueueStatus.ProducersLost"));
}
