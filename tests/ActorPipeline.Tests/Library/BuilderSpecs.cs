using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ActorPipeline.Tests.Library;

/// <summary>
/// What <c>AddActorPipeline</c> registers, and every misuse it refuses at registration with a message that names
/// the types, so that a user learns of a pipeline whose parts do not fit before any node starts.
/// </summary>
public sealed class BuilderSpecs
{
    private static readonly IConfiguration Configuration = new ConfigurationBuilder().Build();

    /// <summary>Each misuse, the exception it gets and what its message must say, keyed by a name the test list shows.</summary>
    private static readonly Dictionary<string, (Action<ActorPipelineBuilder> Configure, Type Exception, string[] Says)> Misuses = new()
    {
        ["a source that is no source"] = (p => p.AddItemSource<IntHandler>(), typeof(ArgumentException), ["IntHandler is not an item source", "IItemSource<T>"]),
        ["a handler that is no handler"] = (p => p.AddWorkHandler<IntSource>(), typeof(ArgumentException), ["IntSource is not a work handler"]),
        ["a sink that is no sink"] = (p => p.AddResultSink<IntSource>(), typeof(ArgumentException), ["IntSource is not a result sink"]),
        ["a source for two item types"] = (p => p.AddItemSource<IntAndTextSource>(), typeof(ArgumentException), ["IntAndTextSource is an item source for ", "Int32", "String", "one item type"]),
        ["a handler taking items two ways"] = (p => p.AddWorkHandler<TwoWayHandler>(), typeof(ArgumentException), ["TwoWayHandler implements more than one work handler interface"]),
        ["a sink for two result types"] = (p => p.AddResultSink<TextAndLongSink>(), typeof(ArgumentException), ["TextAndLongSink is a result sink for ", "String", "Int64", "one result type"]),
        ["a second source"] = (
            p => p.AddItemSource<IntSource>().AddItemSource<OtherIntSource>(),
            typeof(InvalidOperationException),
            ["IntSource is already added", "OtherIntSource cannot be added too"]),
        ["a second handler"] = (
            p => p.AddWorkHandler<IntHandler>().AddWorkHandler<OtherIntHandler>(),
            typeof(InvalidOperationException),
            ["IntHandler is already added", "OtherIntHandler cannot be added too"]),
        ["a second sink"] = (
            p => p.AddResultSink<TextSink>().AddResultSink<LongSink>(),
            typeof(InvalidOperationException),
            ["TextSink is already added", "LongSink cannot be added too"]),
        ["a handler for another item type"] = (
            p => p.AddItemSource<IntSource>().AddWorkHandler<TextHandler>(),
            typeof(InvalidOperationException),
            ["The work handler TextHandler takes String but the item source IntSource yields Int32"]),
        ["a handler for a generic item type of another argument"] = (
            p => p.AddItemSource<IntListSource>().AddWorkHandler<LongListHandler>(),
            typeof(InvalidOperationException),
            ["LongListHandler takes List<Int64> but the item source IntListSource yields List<Int32>"]),
        ["a result handler without a sink"] = (
            p => p.AddItemSource<IntSource>().AddWorkHandler<IntToTextHandler>(),
            typeof(InvalidOperationException),
            ["IntToTextHandler returns String", "AddResultSink<TSink>()", "IResultSink<String>"]),
        ["a sink without a result handler"] = (
            p => p.AddItemSource<IntSource>().AddWorkHandler<IntHandler>().AddResultSink<TextSink>(),
            typeof(InvalidOperationException),
            ["The result sink TextSink takes String, but the work handler IntHandler returns no result", "IWorkHandler<Int32, String>"]),
        ["a sink for another result type"] = (
            p => p.AddItemSource<IntSource>().AddWorkHandler<IntToTextHandler>().AddResultSink<LongSink>(),
            typeof(InvalidOperationException),
            ["The result sink LongSink takes Int64 but the work handler IntToTextHandler returns String"]),
        ["a codec for another type"] = (
            p => p.AddItemSource<IntSource>().AddWorkHandler<IntHandler>().UseCodec(new JsonItemCodec<string>()),
            typeof(InvalidOperationException),
            ["A codec or format is given for String, but the pipeline's items are Int32"]),
        ["a format for another type"] = (
            p => p.AddItemSource<IntSource>().AddWorkHandler<IntHandler>().FormatItems<long>(n => $"#{n}"),
            typeof(InvalidOperationException),
            ["A codec or format is given for Int64, but the pipeline's items are Int32"]),
        ["no source"] = (p => p.AddWorkHandler<IntHandler>(), typeof(InvalidOperationException), ["AddItemSource<TSource>() was not called"]),
        ["no handler"] = (p => p.AddItemSource<IntSource>(), typeof(InvalidOperationException), ["AddWorkHandler<THandler>() was not called"]),
        ["nothing at all"] = (_ => { }, typeof(InvalidOperationException), ["A pipeline needs an item source and a work handler"]),
    };

    public static TheoryData<string> MisuseNames => new(Misuses.Keys);

    [Fact]
    public void Should_register_the_source_and_the_sink_as_singletons_and_the_handler_as_scoped()
    {
        var services = new ServiceCollection();

        services.AddActorPipeline(Configuration, p => p.AddItemSource<IntSource>().AddWorkHandler<IntToTextHandler>().AddResultSink<TextSink>());

        Assert.Equal(ServiceLifetime.Singleton, Assert.Single(services, d => d.ServiceType == typeof(IntSource)).Lifetime);
        Assert.Equal(ServiceLifetime.Scoped, Assert.Single(services, d => d.ServiceType == typeof(IntToTextHandler)).Lifetime);
        Assert.Equal(ServiceLifetime.Singleton, Assert.Single(services, d => d.ServiceType == typeof(TextSink)).Lifetime);

        // As the adapters resolve them: one source and one sink, a new handler in every scope.
        using var provider = services.BuildServiceProvider();
        using var first = provider.CreateScope();
        using var second = provider.CreateScope();
        Assert.Same(first.ServiceProvider.GetRequiredService<IntSource>(), second.ServiceProvider.GetRequiredService<IntSource>());
        Assert.Same(first.ServiceProvider.GetRequiredService<TextSink>(), second.ServiceProvider.GetRequiredService<TextSink>());
        Assert.NotSame(first.ServiceProvider.GetRequiredService<IntToTextHandler>(), second.ServiceProvider.GetRequiredService<IntToTextHandler>());
        Assert.Equal(typeof(int), provider.GetRequiredService<PipelineParts>().ItemType);
    }

    [Fact]
    public void Should_keep_a_registration_the_user_made_first_and_add_no_second_one()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IntToTextHandler>(); // one instance for every item: the user's choice
        services.AddScoped<IntSource>();
        services.AddTransient<TextSink>();

        services.AddActorPipeline(Configuration, p => p.AddItemSource<IntSource>().AddWorkHandler<IntToTextHandler>().AddResultSink<TextSink>());

        Assert.Equal(ServiceLifetime.Singleton, Assert.Single(services, d => d.ServiceType == typeof(IntToTextHandler)).Lifetime);
        Assert.Equal(ServiceLifetime.Scoped, Assert.Single(services, d => d.ServiceType == typeof(IntSource)).Lifetime);
        Assert.Equal(ServiceLifetime.Transient, Assert.Single(services, d => d.ServiceType == typeof(TextSink)).Lifetime);
        using var provider = services.BuildServiceProvider();
        using var first = provider.CreateScope();
        using var second = provider.CreateScope();
        Assert.Same(first.ServiceProvider.GetRequiredService<IntToTextHandler>(), second.ServiceProvider.GetRequiredService<IntToTextHandler>());
    }

    [Fact]
    public void Should_give_the_builder_the_services_and_configuration_it_was_called_with()
    {
        var services = new ServiceCollection();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Mine:Key"] = "value" }).Build();
        (IServiceCollection? Services, IConfiguration? Configuration) seen = default;

        services.AddActorPipeline(configuration, p =>
        {
            seen = (p.Services, p.Configuration);
            p.AddItemSource<IntSource>().AddWorkHandler<IntHandler>();
        });

        Assert.Same(services, seen.Services);
        Assert.Equal("value", seen.Configuration?["Mine:Key"]);
    }

    [Theory]
    [MemberData(nameof(MisuseNames))]
    public void Should_refuse_a_misuse_with_a_message_naming_the_types(string misuse)
    {
        var (configure, exception, says) = Misuses[misuse];

        var refused = Assert.Throws(exception, () => new ServiceCollection().AddActorPipeline(Configuration, configure));

        Assert.All(says, words => Assert.Contains(words, refused.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Should_refuse_a_second_pipeline_for_the_same_services()
    {
        var services = new ServiceCollection();
        services.AddActorPipeline(Configuration, p => p.AddItemSource<IntSource>().AddWorkHandler<IntHandler>());

        var refused = Assert.Throws<InvalidOperationException>(() =>
            services.AddActorPipeline(Configuration, p => p.AddItemSource<IntSource>().AddWorkHandler<IntHandler>()));

        Assert.Contains("AddActorPipeline was already called", refused.Message, StringComparison.Ordinal);
        Assert.Single(services, d => d.ServiceType == typeof(PipelineParts));
    }

    // The parts are registered, never run: a source that yields nothing will do.
    private static async IAsyncEnumerable<T> Nothing<T>()
    {
        await Task.CompletedTask;
        yield break;
    }

    private sealed class IntSource : IItemSource<int>
    {
        public IAsyncEnumerable<int> ReadAsync(SourceContext context, CancellationToken cancellationToken) => Nothing<int>();
    }

    private sealed class OtherIntSource : IItemSource<int>
    {
        public IAsyncEnumerable<int> ReadAsync(SourceContext context, CancellationToken cancellationToken) => Nothing<int>();
    }

    private sealed class IntListSource : IItemSource<List<int>>
    {
        public IAsyncEnumerable<List<int>> ReadAsync(SourceContext context, CancellationToken cancellationToken) => Nothing<List<int>>();
    }

    private sealed class IntAndTextSource : IItemSource<int>, IItemSource<string>
    {
        IAsyncEnumerable<int> IItemSource<int>.ReadAsync(SourceContext context, CancellationToken cancellationToken) => Nothing<int>();

        IAsyncEnumerable<string> IItemSource<string>.ReadAsync(SourceContext context, CancellationToken cancellationToken) => Nothing<string>();
    }

    private sealed class IntHandler : IWorkHandler<int>
    {
        public ValueTask HandleAsync(int item, WorkContext context) => ValueTask.CompletedTask;
    }

    private sealed class OtherIntHandler : IWorkHandler<int>
    {
        public ValueTask HandleAsync(int item, WorkContext context) => ValueTask.CompletedTask;
    }

    private sealed class TextHandler : IWorkHandler<string>
    {
        public ValueTask HandleAsync(string item, WorkContext context) => ValueTask.CompletedTask;
    }

    private sealed class LongListHandler : IWorkHandler<List<long>>
    {
        public ValueTask HandleAsync(List<long> item, WorkContext context) => ValueTask.CompletedTask;
    }

    private sealed class IntToTextHandler : IWorkHandler<int, string>
    {
        public ValueTask<string> HandleAsync(int item, WorkContext context) => ValueTask.FromResult($"{item}");
    }

    private sealed class TwoWayHandler : IWorkHandler<int>, IWorkHandler<int, string>
    {
        ValueTask IWorkHandler<int>.HandleAsync(int item, WorkContext context) => ValueTask.CompletedTask;

        ValueTask<string> IWorkHandler<int, string>.HandleAsync(int item, WorkContext context) => ValueTask.FromResult($"{item}");
    }

    private sealed class TextSink : IResultSink<string>
    {
        public ValueTask WriteAsync(ItemResult<string> result, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    private sealed class LongSink : IResultSink<long>
    {
        public ValueTask WriteAsync(ItemResult<long> result, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    private sealed class TextAndLongSink : IResultSink<string>, IResultSink<long>
    {
        ValueTask IResultSink<string>.WriteAsync(ItemResult<string> result, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        ValueTask IResultSink<long>.WriteAsync(ItemResult<long> result, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
