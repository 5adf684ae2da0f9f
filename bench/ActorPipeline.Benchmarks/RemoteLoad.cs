using System.Diagnostics;
using System.Globalization;
using ActorPipeline.Coordinator;
using Akka.Actor;
using Akka.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using static ActorPipeline.Coordinator.QueueProtocol;

namespace ActorPipeline.Benchmarks;

/// <summary>
/// Processes on 127.0.0.1 joined by Akka.Remote with the queue's binary serializer: the coordinator,
/// a producer process and <see cref="LoadSettings.Nodes"/> consumer processes sharing the consumers.
/// The producer process times the run from its first put to the join's answer; the consumer
/// processes report their latencies when told to stop; the coordinator process its memory.
/// <see cref="RunAsync"/> starts them all and combines their lines.
/// </summary>
public static class RemoteLoad
{
    private const string RunOver = "run-over";

    public static Config Remoting(int port) => ConfigurationFactory.ParseString(
        (Environment.GetEnvironmentVariable("BENCH_REMOTE_HOCON") ?? string.Empty) + "\n" + string.Create(CultureInfo.InvariantCulture, $$"""
        akka.loglevel = WARNING
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp {
          hostname = 127.0.0.1
          port = {{port}}
          maximum-frame-size = 16MiB
          send-buffer-size = 4MiB
          receive-buffer-size = 4MiB
        }
        akka.actor.serializers.queue = "ActorPipeline.Coordinator.QueueMessageSerializer, ActorPipeline.Coordinator"
        akka.actor.serialization-bindings { "ActorPipeline.Coordinator.IQueueMessage, ActorPipeline.Coordinator" = queue }
        akka.persistence.journal.plugin = "akka.persistence.journal.inmem"
        akka.persistence.snapshot-store.plugin = "akka.persistence.snapshot-store.inmem"
        """));

    /// <summary>Starts the processes, waits for them, and returns the run's figures.</summary>
    public static async Task<LoadResult> RunAsync(LoadSettings settings)
    {
        var port = FreePort();
        var address = $"akka.tcp://bench@127.0.0.1:{port}/user/coordinator";
        using var coordinator = Child(["remote-coordinator", $"{port}", .. settings.ToArgs()]);
        await WaitForLineAsync(coordinator, "ready");
        var share = settings with { Consumers = Math.Max(1, settings.Consumers / settings.Nodes) };
        var consumers = new List<Process>();
        try
        {
            for (var n = 0; n < settings.Nodes; n++)
            {
                var node = Child(["remote-consumers", address, .. share.ToArgs()]);
                consumers.Add(node);
                await WaitForLineAsync(node, "ready");
            }

            using var producers = Child(["remote-producers", address, .. settings.ToArgs()]);
            await WaitForLineAsync(producers, "warm");
            foreach (var node in consumers)
            {
                await node.StandardInput.WriteLineAsync("reset");
                await WaitForLineAsync(node, "reset");
            }

            await producers.StandardInput.WriteLineAsync("go");
            var timed = await ResultOfAsync(producers);
            var latencies = new List<LoadResult>();
            foreach (var node in consumers)
            {
                await node.StandardInput.WriteLineAsync("stop");
                node.StandardInput.Close();
                latencies.Add(await ResultOfAsync(node));
            }

            var memory = await ResultOfAsync(coordinator);

            // Several consumer processes: the median of their medians and the worst of their 99th percentiles.
            var p50 = latencies.Select(l => l.LatencyP50Ms).Order().ElementAt(latencies.Count / 2);
            return new LoadResult(
                $"ActorPipeline {2 + settings.Nodes} processes (batch {settings.Batch}, window {settings.Window}{(settings.Rate > 0 ? $", {settings.Rate:N0} items/s offered" : "")})",
                settings.Items, timed.Seconds, p50, latencies.Max(l => l.LatencyP99Ms), memory.PeakMemoryMb);
        }
        finally
        {
            consumers.ForEach(c => c.Dispose());
        }
    }

    /// <summary>The coordinator process: serves until the producer process says the run is over.</summary>
    public static async Task CoordinatorAsync(int port, LoadSettings settings)
    {
        using var system = ActorSystem.Create("bench", Remoting(port));
        // Ephemeral, like the broker peers' queues (not durable, messages not persistent): the durable figure is in-process (SQLite).
        var options = new QueueOptions { Capacity = settings.Capacity, MaxDeliveryBatch = settings.Batch, ProgressInterval = TimeSpan.Zero, Ephemeral = true };
        system.ActorOf(CoordinatorActor.Props(options, 0, NullLogger<CoordinatorActor>.Instance), "coordinator");
        var over = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        system.ActorOf(Props.Create(() => new Signal(over)), "signal");
        Console.WriteLine("ready");
        await over.Task;
        Console.WriteLine(new LoadResult("coordinator process", settings.Items, 0, 0, 0, PeakMb()).ToJson());
        await system.Terminate();
    }

    /// <summary>The consumer process: the consumers of the settings, until told to stop on its standard input.</summary>
    public static async Task ConsumersAsync(string coordinatorPath, LoadSettings settings)
    {
        using var system = ActorSystem.Create("consumers", Remoting(0));
        var coordinator = await system.ActorSelection(coordinatorPath).ResolveOne(TimeSpan.FromSeconds(30));
        var latencies = new LatencySamples(settings);
        var consumers = new List<IActorRef>();
        for (var c = 0; c < settings.Consumers; c++)
        {
            consumers.Add(system.ActorOf(BenchConsumer.Props(coordinator, settings.Window, latencies), $"consumer-{c}"));
        }

        Console.WriteLine("ready");
        while (await Console.In.ReadLineAsync() == "reset")
        {
            // The warm-up round is over: only the measured round's latencies count.
            latencies = new LatencySamples(settings);
            foreach (var consumer in consumers)
            {
                consumer.Tell(latencies);
            }

            Console.WriteLine("reset");
        }

        var (p50, p99) = latencies.Percentiles(); // "stop" (or the end of input): the run is over
        Console.WriteLine(new LoadResult("consumer process", settings.Items, 0, p50, p99, PeakMb()).ToJson());
        await system.Terminate();
    }

    /// <summary>The producer process: puts every item, then asks for the join, as the seed's main does.</summary>
    public static async Task ProducersAsync(string coordinatorPath, LoadSettings settings)
    {
        using var system = ActorSystem.Create("producers", Remoting(0));
        var coordinator = await system.ActorSelection(coordinatorPath).ResolveOne(TimeSpan.FromSeconds(30));

        // A warm-up round first (every process's code warms up: the actor path, remoting, the serializer);
        // the parent resets the consumers' latencies and says "go" before the measured round.
        await RoundAsync(system, coordinator, settings.Warmup() with { Rate = 0 }, "warmup");
        Console.WriteLine("warm");
        await Console.In.ReadLineAsync();
        var elapsed = await RoundAsync(system, coordinator, settings, "measured");
        system.ActorSelection(coordinatorPath.Replace("/user/coordinator", "/user/signal", StringComparison.Ordinal)).Tell(RunOver);
        Console.WriteLine(new LoadResult("producer process", settings.Items, elapsed.TotalSeconds, 0, 0, PeakMb()).ToJson());
        await Task.Delay(500); // lets the signal leave before the system stops
        await system.Terminate();
    }

    /// <summary>Every producer puts its share, then the join: the seed's gather and q.join(), timed.</summary>
    private static async Task<TimeSpan> RoundAsync(ActorSystem system, IActorRef coordinator, LoadSettings settings, string round)
    {
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gather = system.ActorOf(Props.Create(() => new CountDown(settings.Producers, finished)), $"{round}-gather");
        var started = Stopwatch.GetTimestamp();
        for (var p = 0; p < settings.Producers; p++)
        {
            system.ActorOf(BenchProducer.Props(p, coordinator, settings, gather, round), $"{round}-producer-{p}");
        }

        await finished.Task;
        await coordinator.Ask<Joined>(Join.Instance, TimeSpan.FromMinutes(10));
        return Stopwatch.GetElapsedTime(started);
    }

    private static double PeakMb() => Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0;

    private static Process Child(string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var arg in SideBySide.Self(args)[1..])
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("cannot start a bench process");
    }

    private static async Task WaitForLineAsync(Process process, string expected)
    {
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line == expected)
            {
                return;
            }
        }

        throw new InvalidOperationException($"a bench process ended before '{expected}': {await process.StandardError.ReadToEndAsync()}");
    }

    private static async Task<LoadResult> ResultOfAsync(Process process)
    {
        LoadResult? result = null;
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            result = LoadResult.FromJson(line) ?? result;
        }

        await process.WaitForExitAsync();
        return result ?? throw new InvalidOperationException($"a bench process exited {process.ExitCode} without a result: {await process.StandardError.ReadToEndAsync()}");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Completes when the producer process says the run is over.</summary>
    private sealed class Signal : ReceiveActor
    {
        public Signal(TaskCompletionSource over) => Receive<string>(s => s == RunOver, _ => over.TrySetResult());
    }
}
