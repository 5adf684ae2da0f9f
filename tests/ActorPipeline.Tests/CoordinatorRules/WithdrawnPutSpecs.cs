using ActorPipeline.Tests.Model;
using static ActorPipeline.Coordinator.Protocol.QueueProtocol;

namespace ActorPipeline.Tests.CoordinatorRules;

/// <summary>
/// A stopping producer takes back a put that waits for room in a bounded queue: what went in stays accepted, the
/// rest is never admitted, and the producer's restart resumes after exactly the items that went in.
/// </summary>
public sealed class WithdrawnPutSpecs
{
    private readonly StateHarness _q = new(new QueueOptions { Capacity = 2 }, expectedProducers: 1);
    private readonly ModelClient _first = new("producer-0 (its node is stopping)");
    private readonly ModelClient _consumer = new("consumer");

    [Fact]
    public void Should_answer_a_withdrawn_put_with_what_it_admitted_and_resume_after_exactly_those_items()
    {
        _q.Do(s => s.RegisterProducer(_first, new RegisterProducer("p-0")));
        _q.Do(s => s.Put(_first, new Put("p-0", 1, [_q.Item("01"), _q.Item("02"), _q.Item("03"), _q.Item("04"), _q.Item("05")])));
        Assert.Empty(_q.Take<PutAccepted>(_first)); // two in, three waiting for room

        _q.Do(s => s.WithdrawPut(_first, new WithdrawPut("p-0", 1)));

        var withdrawn = Assert.Single(_q.Take<PutRejected>(_first));
        Assert.Equal((PutRejection.Withdrawn, 2), (withdrawn.Reason, withdrawn.Accepted));

        // Room made afterwards admits nothing more of it.
        _q.Do(s => s.Get(_consumer, new Get(5)));
        var delivered = _q.SingleDelivery(_consumer).Items;
        Assert.Equal(["01", "02"], delivered.Select(d => d.Item.Hex));
        _q.Do(s => s.TaskDone(_consumer, new TaskDone([.. delivered.Select(d => d.DeliveryId)])));
        Assert.Equal(2L, _q.State.Status().Accepted);

        _q.Do(s => s.ProducerStopped(_first, new ProducerStopped("p-0", 1))).Do(s => s.ClientTerminated(_first));
        _q.Recover(); // what went in is journaled as the put's part, across a coordinator restart too
        var second = new ModelClient("producer-0 (its node started again)");
        _q.Do(s => s.RegisterProducer(second, new RegisterProducer("p-0")));

        var registered = Assert.Single(_q.Take<ProducerRegistered>(second));
        Assert.Equal((1L, 2L), (registered.LastAcceptedSequenceNr, registered.AcceptedItems)); // its source skips the two
        _q.Do(s => s.Put(second, new Put("p-0", 2, [_q.Item("03"), _q.Item("04")])));
        Assert.Equal(2, Assert.Single(_q.Take<PutAccepted>(second)).Count);
        Assert.Equal(4L, _q.State.Status().Accepted);
    }

    [Fact]
    public void Should_leave_a_put_already_in_whole_to_its_acceptance()
    {
        _q.Do(s => s.RegisterProducer(_first, new RegisterProducer("p-0")));
        _q.Do(s => s.Put(_first, new Put("p-0", 1, [_q.Item("01")])));

        _q.Do(s => s.WithdrawPut(_first, new WithdrawPut("p-0", 1)));

        Assert.Single(_q.Take<PutAccepted>(_first));
        Assert.Empty(_q.Take<PutRejected>(_first));
        Assert.Equal(1L, _q.State.Status().Accepted);
    }
}
