using ActorPipeline.Benchmarks;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/ActorPipeline.Benchmarks -- <scenario> [settings]
//   micro [BenchmarkDotNet args]   the hot paths (coordinator operations, serializer) under BenchmarkDotNet
//   shipped [settings]             the shipped Host binary (ephemeral, in-memory journal, default SQLite, SQLite with the
//                                  seed's lines to a file) vs the asyncio program (no prints, prints to a file), each a
//                                  whole process timed from start to exit; needs `dotnet build -c Release src/Host`
//   host|host-journaled|host-durable|host-durable-lines|asyncio|asyncio-prints [settings]
//                                  one of those, one JSON line (what shipped runs)
//   inproc [settings]              coordinator vs Channel<T> vs asyncio.Queue, side by side, each in its own process
//   library|library-durable [settings]
//                                  the whole pipeline in this process through the public API (AddActorPipeline with a
//                                  typed source and handler, RunActorPipelineAsync), in-memory or SQLite journal
//   coordinator|journaled|channel [settings]
//                                  one contender in this process, one JSON line (what inproc runs): the coordinator
//                                  ephemeral (journals nothing, like the peers) or with the in-memory journal
//   durable [settings]             the coordinator with the SQLite journal the embedded service uses
//   memory [--items N]             the coordinator's heap per outstanding item (nobody consumes)
//   soak [--minutes M] [--ephemeral] [settings]
//                                  the shipped actors at full speed for M minutes (10), memory every 30 s
//   host-cluster|host-cluster-ephemeral [settings]
//                                  the Host binary as a coordinator node, a producer node and --nodes consumer nodes on 127.0.0.1
//   rabbitmq|rabbitmq-durable|redis PORT [settings]
//                                  one broker contender against a broker already listening on PORT (durable: a durable
//                                  queue, persistent messages, confirms after the disk write)
//   cross [settings]               the 3-process Host cluster (SQLite, ephemeral) vs RabbitMQ (durable, transient) vs Redis
//                                  side by side; starts and stops the brokers itself
// settings: --items N --producers N --consumers N --capacity N --batch N --window N --rate N --nodes N
//           --latency-every N (keep every Nth put→get latency; 0: none, so peak memory holds no samples) (LoadSettings)
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: <micro|shipped|inproc|cross|host|host-journaled|host-durable|host-durable-lines|host-cluster|host-cluster-ephemeral|asyncio|asyncio-prints|library|library-durable|coordinator|journaled|durable|memory|channel|rabbitmq PORT|rabbitmq-durable PORT|redis PORT> [--items N] [--producers N] [--consumers N] [--capacity N] [--batch N] [--window N] [--rate N] [--nodes N] [--latency-every N]");
    return 1;
}

var rest = args[1..];
switch (args[0])
{
    case "host":
        Console.WriteLine((await HostLoad.RunHostAsync(LoadSettings.Parse(rest), HostLoad.Journal.Ephemeral, lines: false)).ToJson());
        return 0;
    case "host-journaled":
        Console.WriteLine((await HostLoad.RunHostAsync(LoadSettings.Parse(rest), HostLoad.Journal.InMemory, lines: false)).ToJson());
        return 0;
    case "host-durable":
        Console.WriteLine((await HostLoad.RunHostAsync(LoadSettings.Parse(rest), HostLoad.Journal.Sqlite, lines: false)).ToJson());
        return 0;
    case "host-durable-lines":
        Console.WriteLine((await HostLoad.RunHostAsync(LoadSettings.Parse(rest), HostLoad.Journal.Sqlite, lines: true)).ToJson());
        return 0;
    case "asyncio":
        Console.WriteLine((await HostLoad.RunAsyncioAsync(LoadSettings.Parse(rest), prints: false)).ToJson());
        return 0;
    case "asyncio-prints":
        Console.WriteLine((await HostLoad.RunAsyncioAsync(LoadSettings.Parse(rest), prints: true)).ToJson());
        return 0;
    case "shipped":
        var shipped = LoadSettings.Parse(rest);
        Console.WriteLine($"shipped Host vs asyncio, whole processes, {shipped}");
        await SideBySide.RunAsync(
            [.. ((string[])["asyncio", "asyncio-prints", "host", "host-journaled", "host-durable", "host-durable-lines"]).Select(s => SideBySide.Self([s, .. shipped.ToArgs()]))],
            Console.Out);
        return 0;
    case "micro":
        BenchmarkSwitcher.FromAssembly(typeof(LoadResult).Assembly).Run(rest);
        return 0;
    case "library":
        Console.WriteLine((await PipelineLoad.RunAsync(LoadSettings.Parse(rest), durable: false)).ToJson());
        return 0;
    case "library-durable":
        Console.WriteLine((await PipelineLoad.RunAsync(LoadSettings.Parse(rest), durable: true)).ToJson());
        return 0;
    case "coordinator":
        Console.WriteLine((await CoordinatorLoad.RunAsync(LoadSettings.Parse(rest), CoordinatorJournal.None)).ToJson());
        return 0;
    case "journaled":
        Console.WriteLine((await CoordinatorLoad.RunAsync(LoadSettings.Parse(rest), CoordinatorJournal.Memory)).ToJson());
        return 0;
    case "durable":
        Console.WriteLine((await CoordinatorLoad.RunAsync(LoadSettings.Parse(rest), CoordinatorJournal.Sqlite)).ToJson());
        return 0;
    case "memory":
        await OutstandingMemory.RunAsync(LoadSettings.Parse(rest), Console.Out);
        return 0;
    case "channel":
        Console.WriteLine((await ChannelLoad.RunAsync(LoadSettings.Parse(rest))).ToJson());
        return 0;
    case "soak":
        var minutes = rest.Length > 1 && rest[0] == "--minutes" ? double.Parse(rest[1], System.Globalization.CultureInfo.InvariantCulture) : 10;
        var soakArgs = rest.Length > 1 && rest[0] == "--minutes" ? rest[2..] : rest;
        await Soak.RunAsync(LoadSettings.Parse(soakArgs.Where(a => a != "--ephemeral").ToArray()), TimeSpan.FromMinutes(minutes), soakArgs.Contains("--ephemeral"), Console.Out);
        return 0;
    case "host-cluster":
        Console.WriteLine((await HostLoad.RunClusterAsync(LoadSettings.Parse(rest), HostLoad.Journal.Sqlite)).ToJson());
        return 0;
    case "host-cluster-ephemeral":
        Console.WriteLine((await HostLoad.RunClusterAsync(LoadSettings.Parse(rest), HostLoad.Journal.Ephemeral)).ToJson());
        return 0;
    case "rabbitmq":
    case "rabbitmq-durable":
        Console.WriteLine((await RabbitMqLoad.RunAsync(int.Parse(rest[0], System.Globalization.CultureInfo.InvariantCulture), LoadSettings.Parse(rest[1..]), durable: args[0] == "rabbitmq-durable")).ToJson());
        return 0;
    case "redis":
        Console.WriteLine((await RedisLoad.RunAsync(int.Parse(rest[0], System.Globalization.CultureInfo.InvariantCulture), LoadSettings.Parse(rest[1..]))).ToJson());
        return 0;
    case "cross":
        return await Brokers.CrossAsync(LoadSettings.Parse(rest), Console.Out);
    case "inproc":
        var settings = LoadSettings.Parse(rest);
        Console.WriteLine($"in-process, {settings}");
        var python = Path.Combine(AppContext.BaseDirectory, "peers", "asyncio_queue.py");
        await SideBySide.RunAsync(
            [
                SideBySide.Self(["coordinator", .. settings.ToArgs()]),
                SideBySide.Self(["journaled", .. settings.ToArgs()]),
                SideBySide.Self(["channel", .. settings.ToArgs()]),
                ["python3", python, $"{settings.Items}", $"{settings.Producers}", $"{settings.Consumers}", $"{settings.Capacity}"],
            ],
            Console.Out);
        return 0;
    default:
        Console.Error.WriteLine($"'{args[0]}' is not a scenario.");
        return 1;
}
