namespace ActorPipeline.Tests.Host;

/// <summary>
/// The operator's commands on a journal a running node holds: refused at once, saying what to do instead,
/// rather than racing the node's writes (which failed its sequence numbers and hung for a minute).
/// </summary>
public sealed class BusyJournalCommandSpecs : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("busy-journal-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Theory]
    [InlineData("dead-letters", "list")]
    [InlineData("dead-letters", "discard", "--all")]
    [InlineData("run", "end")]
    public async Task Should_refuse_a_command_on_a_journal_a_running_node_holds(string command, params string[] args)
    {
        var file = Path.Combine(_folder.FullName, "actor-pipeline.db");
        await File.WriteAllBytesAsync(file, [], TestContext.Current.CancellationToken);
        var connection = $"Data Source={file}";
        using var runningNode = JournalFileLock.Acquire(connection); // what a node without seeds holds while it runs
        var output = new StringWriter();
        var error = new StringWriter();
        string[] settings = [.. args, $"--Pipeline:Persistence:ConnectionString={connection}"];

        var exit = command == "run"
            ? await RunCommand.RunAsync(settings, output, error)
            : await DeadLetterCommand.RunAsync(settings, output, error);

        Assert.Equal(ExitCodes.Failed, exit);
        Assert.StartsWith("The journal is in use by a running node: stop it first", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("Nothing was done.", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, new FileInfo(file).Length); // not opened as a journal, let alone written
    }
}
