using Akka.Actor;

namespace ActorPipeline.Coordinator.Actor;

/// <summary>
/// Props that make an actor by calling a constructor the compiler checked, on every start and restart.
/// <c>Props.Create(() => new T(...))</c> parses its expression and compiles a delegate for each captured
/// argument every time props are made, once per consumer and producer; on a fresh node that was tens of
/// milliseconds of a small job's start. These props stay local (nothing here is deployed remotely), so they
/// need not be serializable.
/// </summary>
internal static class ActorFactory
{
    /// <summary>Props whose actor <paramref name="create"/> makes.</summary>
    /// <typeparam name="TActor">The actor's type.</typeparam>
    /// <param name="create">Makes a new instance; called again on a restart.</param>
    /// <returns>The props.</returns>
    public static Props Props<TActor>(Func<TActor> create)
        where TActor : ActorBase =>
        Akka.Actor.Props.CreateBy(new Producer<TActor>(create));

    private sealed class Producer<TActor>(Func<TActor> create) : IIndirectActorProducer
        where TActor : ActorBase
    {
        public Type ActorType => typeof(TActor);

        public ActorBase Produce() => create();

        public void Release(ActorBase actor)
        {
            // Nothing to give back: the actor's own PostStop releases what it holds.
        }
    }
}
