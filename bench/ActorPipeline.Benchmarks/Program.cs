using ActorPipeline.Benchmarks;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/ActorPipeline.Benchmarks -- <scenario> [settings]
//   micro [BenchmarkDotNet args]   the hot paths (coordinator operations, serializer) under BenchmarkDotNet
//   inproc [settings]              coordinator vs Channel<T> vs asyncio.Queue, side by side, each in its own process
//   coordinator|channel [settings] one contender in this process, one JSON line (what inproc runs)
// settings: --items N --producers N --consumers N --capacity N --batch N --window N (LoadSettings)
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: <micro|inproc|coordinator|channel> [--items N] [--producers N] [--consumers N] [--capacity N] [--batch N] [--window N]");
    return 1;
}

var rest = args[1..];
switch (args[0])
{
    case "micro":
        BenchmarkSwitcher.FromAssembly(typeof(LoadResult).Assembly).Run(rest);
        return 0;
    case "coordinator":
        Console.WriteLine((await CoordinatorLoad.RunAsync(LoadSettings.Parse(rest))).ToJson());
        return 0;
    case "channel":
        Console.WriteLine((await ChannelLoad.RunAsync(LoadSettings.Parse(rest))).ToJson());
        return 0;
    case "inproc":
        var settings = LoadSettings.Parse(rest);
        Console.WriteLine($"in-process, {settings}");
        var python = Path.Combine(AppContext.BaseDirectory, "peers", "asyncio_queue.py");
        await SideBySide.RunAsync(
            [
                SideBySide.Self(["coordinator", .. settings.ToArgs()]),
                SideBySide.Self(["channel", .. settings.ToArgs()]),
                ["python3", python, $"{settings.Items}", $"{settings.Producers}", $"{settings.Consumers}", $"{settings.Capacity}"],
            ],
            Console.Out);
        return 0;
    default:
        Console.Error.WriteLine($"'{args[0]}' is not a scenario.");
        return 1;
}
