namespace ActorPipeline.Coordinator.Protocol;

/// <summary>What a job id and a job name may be: ids travel in URLs, log lines and metric labels.</summary>
internal static class JobIds
{
    /// <summary>The job of the batch run (<c>Pipeline:Mode=Run</c>): the nodes' producers put into it.</summary>
    public const string Run = "run";

    public const int MaxIdLength = 64;

    public const int MaxNameLength = 200;

    /// <summary>A fresh id: "j" and 16 hex digits, as a client or the HTTP API opens a job with.</summary>
    public static string New() => "j" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 8));

    /// <summary>Why <paramref name="id"/> cannot be a job id, or null if it can.</summary>
    public static string? Problem(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxIdLength)
        {
            return $"a job id has 1 to {MaxIdLength} characters";
        }

        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                return "a job id has only letters, digits, '_', '-' and '.'";
            }
        }

        return null;
    }

    /// <summary>Why <paramref name="name"/> cannot be a job name, or null if it can.</summary>
    public static string? NameProblem(string? name) =>
        string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength ? $"a job name has 1 to {MaxNameLength} characters, not only spaces"
        : name.Any(char.IsControl) ? "a job name has no control characters (line breaks, tabs, NUL): it goes into log lines"
        : null;
}
