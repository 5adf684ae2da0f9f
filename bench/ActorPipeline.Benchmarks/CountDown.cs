using Akka.Actor;

namespace ActorPipeline.Benchmarks;

/// <summary>asyncio's gather over the bench producers: completes once every one has had all of its items accepted.</summary>
public sealed class CountDown : ReceiveActor
{
    public CountDown(int producers, TaskCompletionSource finished)
    {
        var left = producers;
        if (left == 0)
        {
            finished.TrySetResult();
        }

        Receive<BenchProducer.ProducerFinished>(_ =>
        {
            if (--left == 0)
            {
                finished.TrySetResult();
            }
        });
    }
}
