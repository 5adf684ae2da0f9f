using ActorPipeline.Coordinator;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ActorPipeline.Benchmarks;

/// <summary>
/// An actor system hosted as the service hosts its own (Akka.Hosting, the queue's binary serializer), with
/// the in-memory journal or a throwaway SQLite file, for the length of one benchmark; the file is deleted after.
/// </summary>
internal static class BenchHost
{
    public static Task<T> RunAsync<T>(bool sqlite, Func<ActorSystem, Task<T>> run) => RunAsync(sqlite, _ => { }, (system, _) => run(system));

    /// <summary>The same, with actors started by the service's own hosting extensions (<paramref name="configure"/>), found in the registry.</summary>
    public static async Task<T> RunAsync<T>(bool sqlite, Action<AkkaConfigurationBuilder> configure, Func<ActorSystem, ActorRegistry, Task<T>> run)
    {
        var file = Path.Combine(Path.GetTempPath(), $"actor-pipeline-bench-{Guid.NewGuid():N}.db");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Services.AddAkka("bench", akka =>
        {
            akka.ConfigureLoggers(loggers => loggers.LogLevel = Akka.Event.LogLevel.WarningLevel).WithQueueSerializer();
            configure(akka);

            // The service's own store wiring (SQLite in write-ahead-log mode, as the embedded default journals), not a copy of it.
            akka.AddQueueStore(new PersistenceOptions
            {
                Provider = sqlite ? PersistenceProvider.Sqlite : PersistenceProvider.InMemory,
                ConnectionString = $"Data Source={file}",
            });

            // Experiment hook (docs/benchmarks.md): extra journal settings.
            if (sqlite && Environment.GetEnvironmentVariable("BENCH_HOCON") is { Length: > 0 } hocon)
            {
                akka.AddHocon(hocon, HoconAddMode.Prepend);
            }
        });
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            return await run(host.Services.GetRequiredService<ActorSystem>(), host.Services.GetRequiredService<ActorRegistry>());
        }
        finally
        {
            await host.StopAsync();
            foreach (var path in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(file) + "*"))
            {
                File.Delete(path);
            }
        }
    }
}
