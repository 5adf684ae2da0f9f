using Akka.Actor;
using Akka.Hosting;

namespace ActorPipeline.Tests.Fakes;

/// <summary>An <see cref="IRequiredActor{TKey}"/> that is one given actor, for a class that asks it and a spec that scripts it.</summary>
internal sealed class FixedActor<TKey>(IActorRef actor) : IRequiredActor<TKey>
{
    public IActorRef ActorRef => actor;

    public Task<IActorRef> GetAsync(CancellationToken cancellationToken = default) => Task.FromResult(actor);
}
