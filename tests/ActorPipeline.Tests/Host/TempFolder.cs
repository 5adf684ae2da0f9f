namespace ActorPipeline.Tests.Host;

/// <summary>A folder of the spec's own (a working directory, and so where the embedded journal goes), deleted afterwards.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("actorpipeline-spec-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // a process killed a moment ago may still hold a file; the temp folder is the system's to clean
        }
    }
}
