using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ActorPipeline.Hosting.Configuration;

/// <summary>
/// Validates an options tree bound from one configuration section with its data annotations and
/// cross-field rules, and rejects keys that bind to nothing (a retired one with what replaced it,
/// <see cref="RetiredSettingAttribute"/>). Every failure names the full configuration key
/// (<c>Pipeline:Producers:Count</c>) and the value it had, because that is what the user must fix.
/// </summary>
internal sealed class SectionValidator<TOptions>(IConfiguration configuration, string section) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var failures = new List<string>();
        UnknownKeys(configuration.GetSection(section), typeof(TOptions), failures);
        ValidateTree(options, section, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateTree(object options, string path, List<string> failures)
    {
        var results = Annotations(options);
        foreach (var result in results)
        {
            var member = result.MemberNames.FirstOrDefault();
            // A connection string, password or token is a secret: the message names the key, never the value.
            var secret = member is not null && (member.Contains("ConnectionString", StringComparison.Ordinal) || member.Contains("Password", StringComparison.Ordinal) || member.Contains("Token", StringComparison.Ordinal));
            var value = member is null || secret ? null : ValueAt(options, member);
            var key = member is null ? path : $"{path}:{member}";
            failures.Add(secret
                ? $"{key}: {result.ErrorMessage}"
                : string.Create(CultureInfo.InvariantCulture, $"{key} = {Show(value)}: {result.ErrorMessage}"));
        }

        foreach (var property in NestedSections(options.GetType()))
        {
            if (property.GetValue(options) is { } section)
            {
                ValidateTree(section, $"{path}:{property.Name}", failures);
            }
        }
    }

    /// <summary>
    /// What <see cref="Validator.TryValidateObject(object, ValidationContext, ICollection{ValidationResult}?, bool)"/> with
    /// every property finds, in its order and with its messages: each property's attributes (a missing required value
    /// alone), then, if all held, the class's attributes, then <see cref="IValidatableObject"/>. Read with plain
    /// reflection: the Validator reads attributes through TypeDescriptor, whose first use cost a fresh node ~0.1 s.
    /// </summary>
    private static List<ValidationResult> Annotations(object options)
    {
        var results = new List<ValidationResult>();
        var type = options.GetType();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var attributes = property.GetIndexParameters().Length == 0 && property.GetMethod is not null
                ? property.GetCustomAttributes<ValidationAttribute>(inherit: true).ToList()
                : [];
            if (attributes.Count == 0)
            {
                continue;
            }

            var value = property.GetValue(options);
            var context = new ValidationContext(options)
            {
                MemberName = property.Name,
                DisplayName = property.GetCustomAttribute<DisplayAttribute>()?.GetName() ?? property.Name,
            };
            if (attributes.OfType<RequiredAttribute>().FirstOrDefault()?.GetValidationResult(value, context) is { } missing)
            {
                results.Add(missing);
                continue;
            }

            results.AddRange(attributes.Where(a => a is not RequiredAttribute).Select(a => a.GetValidationResult(value, context)).OfType<ValidationResult>());
        }

        if (results.Count > 0)
        {
            return results;
        }

        var whole = new ValidationContext(options);
        results.AddRange(type.GetCustomAttributes<ValidationAttribute>(inherit: true).Select(a => a.GetValidationResult(options, whole)).OfType<ValidationResult>());
        if (results.Count == 0 && options is IValidatableObject validatable)
        {
            results.AddRange(validatable.Validate(whole).OfType<ValidationResult>());
        }

        return results;
    }

    /// <summary>A member's value; a rule across sections names its member by path ("Producers:MaxPutBytes").</summary>
    private static object? ValueAt(object options, string member)
    {
        object? value = options;
        foreach (var name in member.Split(':'))
        {
            value = value?.GetType().GetProperty(name)?.GetValue(value);
        }

        return value;
    }

    private static void UnknownKeys(IConfigurationSection section, Type type, List<string> failures)
    {
        foreach (var child in section.GetChildren())
        {
            var property = type.GetProperty(child.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null && type.GetCustomAttributes<RetiredSettingAttribute>().FirstOrDefault(r => r.Key.Equals(child.Key, StringComparison.OrdinalIgnoreCase)) is { } retired)
            {
                failures.Add($"{child.Path} is no longer read: {retired.Instead}.");
            }
            else if (property is null || !property.CanWrite)
            {
                failures.Add($"{child.Path} is not a setting this service knows; check its spelling.");
            }
            else if (IsSection(property))
            {
                UnknownKeys(child, property.PropertyType, failures);
            }
        }
    }

    private static IEnumerable<PropertyInfo> NestedSections(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(IsSection);

    private static bool IsSection(PropertyInfo property) =>
        property.PropertyType.IsClass
        && property.PropertyType != typeof(string)
        && !typeof(IEnumerable).IsAssignableFrom(property.PropertyType)
        && property.PropertyType.Namespace?.StartsWith("ActorPipeline", StringComparison.Ordinal) == true;

    private static string Show(object? value) => value switch
    {
        null => "(none)",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "(none)",
    };
}
