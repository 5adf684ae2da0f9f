using System.ComponentModel.DataAnnotations;

namespace ActorPipeline.Samples.FileHasher;

/// <summary>What to hash and where the hashes go. Bound from <c>Hashing</c>; relative paths are taken from the working directory.</summary>
internal sealed class HashingOptions : IValidatableObject
{
    public const string SectionName = "Hashing";

    /// <summary>The folder whose regular files are hashed, at any depth.</summary>
    /// <value>Required; the folder must exist.</value>
    [Required]
    public string Root { get; set; } = "";

    /// <summary>
    /// The results file, in <c>sha256sum</c> format with paths relative to <see cref="Root"/>; <c>&lt;Output&gt;.ids</c>
    /// beside it records which items it holds, so that a resumed run writes none of them twice.
    /// </summary>
    /// <value>Required; its folder must exist and it must not be under <see cref="Root"/>.</value>
    [Required]
    public string Output { get; set; } = "";

    /// <summary>The path of <see cref="Output"/>'s record of the item ids it holds.</summary>
    public string IdsPath => Output + ".ids";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Called only once [Required] passed, so both are set.
        if (!Directory.Exists(Root))
        {
            yield return new ValidationResult("the folder does not exist.", [nameof(Root)]);
            yield break;
        }

        var output = Path.GetFullPath(Output);
        if (Path.GetDirectoryName(output) is { } folder && !Directory.Exists(folder))
        {
            yield return new ValidationResult($"the folder {folder} does not exist.", [nameof(Output)]);
        }

        // The output would be listed and hashed while it is still being written, and never match.
        if (output.StartsWith(Path.TrimEndingDirectorySeparator(Path.GetFullPath(Root)) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            yield return new ValidationResult("must not be under Hashing:Root, or it would hash itself while being written.", [nameof(Output)]);
        }

        // Not ours (FileHasher makes both at once): appending to it, or cutting it back to what the record holds, would spoil it.
        if (File.Exists(output) && new FileInfo(output).Length > 0 && !File.Exists(IdsPath))
        {
            yield return new ValidationResult($"the file exists but {Path.GetFileName(IdsPath)}, FileHasher's record of what it holds, does not: move it away or choose another name.", [nameof(Output)]);
        }
    }
}
