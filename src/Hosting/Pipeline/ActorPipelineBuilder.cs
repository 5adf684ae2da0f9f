using Google.Protobuf;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ActorPipeline;

/// <summary>
/// What a pipeline runs: one item source, one work handler, a result sink if the handler returns results, and
/// how items are encoded and shown in logs. Given to the configure callback of
/// <see cref="ActorPipelineServiceCollectionExtensions.AddActorPipeline"/>; everything else (roles, cluster,
/// persistence, operations) comes from configuration.
/// </summary>
/// <remarks>
/// Every node runs the same registrations and starts what its <c>Cluster:Roles</c> name: producers read the
/// source, consumers run the handler. A misuse (a type that is no source, a handler for another item type)
/// throws at registration, naming the types.
/// </remarks>
public sealed class ActorPipelineBuilder
{
    private readonly Dictionary<Type, object> _codecs = [];
    private readonly Dictionary<Type, object> _formats = [];
    private Type? _sourceType;
    private Type? _sourceItem;
    private Type? _handlerType;
    private Type? _handlerItem;
    private Type? _handlerResult;
    private Type? _sinkType;
    private Type? _sinkResult;

    internal ActorPipelineBuilder(IServiceCollection services, IConfiguration configuration)
    {
        Services = services;
        Configuration = configuration;
    }

    /// <summary>The application's services, for what sources and handlers need.</summary>
    public IServiceCollection Services { get; }

    /// <summary>The application's configuration, which the pipeline's settings are read from.</summary>
    public IConfiguration Configuration { get; }

    /// <summary>
    /// The source producers read: a class implementing <see cref="IItemSource{T}"/> for exactly one item type.
    /// It is a singleton unless registered otherwise before this call; every producer on a node reads it with its
    /// own <see cref="SourceContext"/>.
    /// </summary>
    /// <typeparam name="TSource">The source class.</typeparam>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><typeparamref name="TSource"/> implements no <see cref="IItemSource{T}"/>, or more than one.</exception>
    /// <exception cref="InvalidOperationException">A source was already added: a pipeline has one.</exception>
    public ActorPipelineBuilder AddItemSource<TSource>()
        where TSource : class
    {
        if (_sourceType is not null)
        {
            throw new InvalidOperationException(
                $"A pipeline has one item source, and {Name(_sourceType)} is already added; {Name(typeof(TSource))} cannot be added too. Partition one source by SourceContext.Index instead.");
        }

        var items = ArgumentsOf(typeof(TSource), typeof(IItemSource<>));
        _sourceItem = items.Count switch
        {
            1 => items[0][0],
            0 => throw new ArgumentException($"{Name(typeof(TSource))} is not an item source: it implements no IItemSource<T>.", nameof(TSource)),
            _ => throw new ArgumentException($"{Name(typeof(TSource))} is an item source for {string.Join(" and ", items.Select(a => Name(a[0])))}; a pipeline's source yields one item type.", nameof(TSource)),
        };
        _sourceType = typeof(TSource);
        Services.TryAddSingleton<TSource>();
        return this;
    }

    /// <summary>
    /// The work handler consumers run: a class implementing <see cref="IWorkHandler{T}"/> or
    /// <see cref="IWorkHandler{T, TResult}"/> (then add a result sink too) for the source's item type. It is
    /// resolved in a scope of its own for every item, so it is scoped unless registered otherwise before this call.
    /// </summary>
    /// <typeparam name="THandler">The handler class.</typeparam>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><typeparamref name="THandler"/> implements no work handler interface, or more than one.</exception>
    /// <exception cref="InvalidOperationException">A handler was already added: a pipeline has one.</exception>
    public ActorPipelineBuilder AddWorkHandler<THandler>()
        where THandler : class
    {
        if (_handlerType is not null)
        {
            throw new InvalidOperationException(
                $"A pipeline has one work handler, and {Name(_handlerType)} is already added; {Name(typeof(THandler))} cannot be added too.");
        }

        var plain = ArgumentsOf(typeof(THandler), typeof(IWorkHandler<>));
        var withResult = ArgumentsOf(typeof(THandler), typeof(IWorkHandler<,>));
        if (plain.Count + withResult.Count == 0)
        {
            throw new ArgumentException($"{Name(typeof(THandler))} is not a work handler: it implements neither IWorkHandler<T> nor IWorkHandler<T, TResult>.", nameof(THandler));
        }

        if (plain.Count + withResult.Count > 1)
        {
            throw new ArgumentException($"{Name(typeof(THandler))} implements more than one work handler interface; a pipeline's handler takes one item type in one way.", nameof(THandler));
        }

        (_handlerItem, _handlerResult) = plain.Count == 1 ? (plain[0][0], null) : (withResult[0][0], withResult[0][1]);
        _handlerType = typeof(THandler);
        Services.TryAddScoped<THandler>();
        return this;
    }

    /// <summary>
    /// Where the handler's results go: a class implementing <see cref="IResultSink{TResult}"/> for the handler's
    /// result type. It is a singleton (one file, one connection pool) unless registered otherwise before this call.
    /// </summary>
    /// <typeparam name="TSink">The sink class.</typeparam>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><typeparamref name="TSink"/> implements no <see cref="IResultSink{TResult}"/>, or more than one.</exception>
    /// <exception cref="InvalidOperationException">A sink was already added: a pipeline has one.</exception>
    public ActorPipelineBuilder AddResultSink<TSink>()
        where TSink : class
    {
        if (_sinkType is not null)
        {
            throw new InvalidOperationException($"A pipeline has one result sink, and {Name(_sinkType)} is already added; {Name(typeof(TSink))} cannot be added too.");
        }

        var results = ArgumentsOf(typeof(TSink), typeof(IResultSink<>));
        _sinkResult = results.Count switch
        {
            1 => results[0][0],
            0 => throw new ArgumentException($"{Name(typeof(TSink))} is not a result sink: it implements no IResultSink<TResult>.", nameof(TSink)),
            _ => throw new ArgumentException($"{Name(typeof(TSink))} is a result sink for {string.Join(" and ", results.Select(a => Name(a[0])))}; a pipeline's sink takes one result type.", nameof(TSink)),
        };
        _sinkType = typeof(TSink);
        Services.TryAddSingleton<TSink>();
        return this;
    }

    /// <summary>
    /// Encodes items of type <typeparamref name="T"/> with <paramref name="codec"/> instead of the default for the type:
    /// <see cref="RawBytesCodec"/> for <c>byte[]</c>, <see cref="ProtobufItemCodec{T}"/> for Protocol Buffers messages,
    /// <see cref="JsonItemCodec{T}"/> (web defaults) for anything else. A later call for the same type replaces an earlier one.
    /// </summary>
    /// <typeparam name="T">The item type: the source's, or <see cref="ActorPipelineServiceCollectionExtensions.AddActorPipeline"/> throws.</typeparam>
    /// <param name="codec">The codec; every node must use the same.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="codec"/> is null.</exception>
    public ActorPipelineBuilder UseCodec<T>(IItemCodec<T> codec)
    {
        ArgumentNullException.ThrowIfNull(codec);
        _codecs[typeof(T)] = codec;
        return this;
    }

    /// <summary>Shows items of type <typeparamref name="T"/> in log lines as <paramref name="format"/> says, instead of their <c>ToString()</c>.</summary>
    /// <typeparam name="T">The item type: the source's, or <see cref="ActorPipelineServiceCollectionExtensions.AddActorPipeline"/> throws.</typeparam>
    /// <param name="format">One short line per item; keep secrets out of it.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="format"/> is null.</exception>
    public ActorPipelineBuilder FormatItems<T>(Func<T, string> format)
    {
        ArgumentNullException.ThrowIfNull(format);
        _formats[typeof(T)] = format;
        return this;
    }

    /// <summary>Checks that the parts fit together and makes the pipeline's typed parts; throws naming what does not fit.</summary>
    internal PipelineParts Build()
    {
        if (_sourceType is null || _handlerType is null)
        {
            throw new InvalidOperationException(
                $"A pipeline needs an item source and a work handler; {(_sourceType is null ? "AddItemSource<TSource>()" : "AddWorkHandler<THandler>()")} was not called. " +
                "Every node registers both and runs the ones its Cluster:Roles name.");
        }

        if (_sourceItem != _handlerItem)
        {
            throw new InvalidOperationException(
                $"The work handler {Name(_handlerType)} takes {Name(_handlerItem!)} but the item source {Name(_sourceType)} yields {Name(_sourceItem!)}.");
        }

        if (_handlerResult is not null && _sinkType is null)
        {
            throw new InvalidOperationException(
                $"The work handler {Name(_handlerType)} returns {Name(_handlerResult)}: add a result sink for it with AddResultSink<TSink>() (an IResultSink<{Name(_handlerResult)}>).");
        }

        if (_sinkType is not null && _handlerResult != _sinkResult)
        {
            throw new InvalidOperationException(_handlerResult is null
                ? $"The result sink {Name(_sinkType)} takes {Name(_sinkResult!)}, but the work handler {Name(_handlerType)} returns no result (implement IWorkHandler<{Name(_handlerItem!)}, {Name(_sinkResult!)}>)."
                : $"The result sink {Name(_sinkType)} takes {Name(_sinkResult!)} but the work handler {Name(_handlerType)} returns {Name(_handlerResult)}.");
        }

        if (_codecs.Keys.Concat(_formats.Keys).FirstOrDefault(t => t != _sourceItem) is { } stray)
        {
            throw new InvalidOperationException($"A codec or format is given for {Name(stray)}, but the pipeline's items are {Name(_sourceItem!)}.");
        }

        var parts = typeof(PipelineParts<>).MakeGenericType(_sourceItem!);
        return (PipelineParts)Activator.CreateInstance(
            parts, CodecFor(_sourceItem!), _formats.GetValueOrDefault(_sourceItem!), _sourceType, _handlerType, _handlerResult, _sinkType, Services)!;
    }

    private object CodecFor(Type item)
    {
        if (_codecs.TryGetValue(item, out var codec))
        {
            return codec;
        }

        if (item == typeof(byte[]))
        {
            return new RawBytesCodec();
        }

        // Not MakeGenericType(IMessage<>): for any other item type that throws, since IMessage<T> constrains T to itself.
        return ArgumentsOf(item, typeof(IMessage<>)).Any(a => a[0] == item) && item.GetConstructor(Type.EmptyTypes) is not null
            ? Activator.CreateInstance(typeof(ProtobufItemCodec<>).MakeGenericType(item))!
            : Activator.CreateInstance(typeof(JsonItemCodec<>).MakeGenericType(item))!;
    }

    private static List<Type[]> ArgumentsOf(Type type, Type openInterface) =>
        [.. type.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == openInterface).Select(i => i.GetGenericArguments())];

    private static string Name(Type type) =>
        type.IsGenericType ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(Name))}>" : type.Name;
}
