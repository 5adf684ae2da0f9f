namespace ActorPipeline.Hosting.Configuration;

/// <summary>
/// A key an options class no longer reads. <see cref="SectionValidator{TOptions}"/> refuses it like an unknown key, but
/// says what replaced it: a user upgrading should learn the new setting from the error, not from the release notes.
/// </summary>
/// <param name="key">The key's name within the section (<c>HealthPort</c>).</param>
/// <param name="instead">What to set instead, in a sentence that follows "is no longer read: ".</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
internal sealed class RetiredSettingAttribute(string key, string instead) : Attribute
{
    public string Key { get; } = key;

    public string Instead { get; } = instead;
}
