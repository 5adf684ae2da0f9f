using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ActorPipeline.Tests.Host;

/// <summary>Options bound and validated as at start-up: a bad value is refused with its full key.</summary>
public sealed class ConfigurationSpecs
{
    private static PipelineOptions Resolve(params (string Key, string Value)[] settings) => ConfiguredOptions.Resolve<PipelineOptions>(settings);

    // The demo's settings are the Host's own options, validated the same way.
    private static string SingleFailure(params (string Key, string Value)[] settings) =>
        settings[0].Key.StartsWith("Demo:", StringComparison.Ordinal)
            ? ConfiguredOptions.SingleFailure<ActorPipeline.Host.Demo.DemoOptions>(settings)
            : ConfiguredOptions.SingleFailure<PipelineOptions>(settings);

    [Fact]
    public void Should_use_the_seed_defaults_when_nothing_is_configured()
    {
        var options = Resolve();
        var demo = ConfiguredOptions.Resolve<ActorPipeline.Host.Demo.DemoOptions>();

        Assert.Equal((5, 10, 444), (options.Producers.Count, options.Consumers.Count, demo.Seed));
        Assert.Equal((0, 10, 5), (demo.Producers.MinItems, demo.Producers.MaxItems, demo.Producers.ItemBytes));
        Assert.Equal(TimeSpan.FromSeconds(10), demo.Consumers.MaxDelay);
        Assert.Equal(10_000, options.Queue.Capacity);
    }

    [Fact]
    public void Should_bind_overrides_from_configuration()
    {
        var settings = new[] { ("Pipeline:Producers:Count", "2"), ("Pipeline:Queue:Capacity", "8"), ("Demo:Consumers:MaxDelay", "00:00:00.250") };
        var options = Resolve(settings);

        Assert.Equal((2, 8), (options.Producers.Count, options.Queue.Capacity));
        Assert.Equal(TimeSpan.FromMilliseconds(250), ConfiguredOptions.Resolve<ActorPipeline.Host.Demo.DemoOptions>(settings).Consumers.MaxDelay);
    }

    [Theory]
    [InlineData("Pipeline:Producers:Count", "-1")]
    [InlineData("Pipeline:Consumers:Count", "0")]
    [InlineData("Pipeline:Queue:Capacity", "-3")]
    [InlineData("Pipeline:Consumers:MaxAttempts", "0")]
    [InlineData("Pipeline:Drain:Timeout", "00:00:00")]
    [InlineData("Demo:Producers:MinDelay", "-00:00:01")]
    public void Should_refuse_an_out_of_range_value_naming_its_key_and_value(string key, string value)
    {
        var failure = SingleFailure((key, value));

        Assert.StartsWith($"{key} = {value}:", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_refuse_an_item_limit_whose_full_delivery_would_not_fit_one_message()
    {
        var failure = SingleFailure(("Pipeline:Queue:MaxItemBytes", "16777216"), ("Pipeline:Queue:MaxDeliveryBatch", "100"));

        Assert.StartsWith("Pipeline:Queue:MaxItemBytes = 16777216:", failure, StringComparison.Ordinal);
        Assert.Contains("MaxDeliveryBatch (100)", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_size_puts_to_the_frame_unless_told_and_refuse_a_budget_over_it_naming_the_key()
    {
        Assert.Equal(100L * (65_536 + 64), Resolve().Producers.MaxPutBytes);
        Assert.Equal(10L * (1_000 + 64), Resolve(("Pipeline:Queue:MaxItemBytes", "1000"), ("Pipeline:Queue:MaxDeliveryBatch", "10")).Producers.MaxPutBytes);
        Assert.Equal(4_096L, Resolve(("Pipeline:Producers:MaxPutBytes", "4096")).Producers.MaxPutBytes);

        var failure = SingleFailure(("Pipeline:Queue:MaxItemBytes", "1000"), ("Pipeline:Queue:MaxDeliveryBatch", "10"), ("Pipeline:Producers:MaxPutBytes", "10641"));

        Assert.StartsWith("Pipeline:Producers:MaxPutBytes = 10641:", failure, StringComparison.Ordinal);
        Assert.Contains("(10640)", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_read_the_connection_string_from_a_secret_file_without_its_line_break()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "Host=db;Username=app;Password=from-a-file\n");

            var options = Resolve(("Pipeline:Persistence:Provider", "PostgreSql"), ("Pipeline:Persistence:ConnectionStringFile", file));

            Assert.Equal("Host=db;Username=app;Password=from-a-file", options.Persistence.EffectiveConnectionString);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Should_refuse_a_connection_string_file_that_cannot_be_read_naming_the_key_but_not_its_value()
    {
        var failure = SingleFailure(("Pipeline:Persistence:Provider", "PostgreSql"), ("Pipeline:Persistence:ConnectionStringFile", "/nonexistent/secret"));

        Assert.StartsWith("Pipeline:Persistence:ConnectionStringFile: cannot read '/nonexistent/secret'", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Data Source=x.db;Mode=Bogus", "is not a SQLite connection string")]
    [InlineData("Data Source=x.db;Foo=bar", "is not a SQLite connection string")]
    [InlineData("Data Source=", "names no journal file")]
    [InlineData("Data Source=:memory:", "names no journal file")]
    [InlineData("Data Source=x.db;Mode=Memory", "names no journal file")]
    public void Should_refuse_a_sqlite_connection_string_without_a_usable_file_naming_the_key(string connection, string problem)
    {
        var failure = SingleFailure(("Pipeline:Persistence:ConnectionString", connection));

        Assert.StartsWith($"Pipeline:Persistence:ConnectionString: {problem}", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_refuse_max_items_below_min_items()
    {
        var failure = SingleFailure(("Demo:Producers:MinItems", "5"), ("Demo:Producers:MaxItems", "2"));

        Assert.Contains("Demo:Producers:MaxItems", failure, StringComparison.Ordinal);
        Assert.Contains("MinItems (5)", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Demo:Producers:MaxDelay", "ten seconds")]
    [InlineData("Pipeline:Producers:Count", "many")]
    public void Should_refuse_an_unparsable_value_naming_its_key(string key, string value)
    {
        var failure = SingleFailure((key, value));

        Assert.Contains($"'{key}'", failure, StringComparison.Ordinal);
        Assert.Contains(value, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_refuse_a_misspelt_key_instead_of_ignoring_it()
    {
        var failure = SingleFailure(("Pipeline:Consumer:Count", "3"));

        Assert.Contains("Pipeline:Consumer ", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "-p", "2", "-c", "4" }, 2, 4)]
    [InlineData(new[] { "--nprod", "3", "--ncon", "7" }, 3, 7)]
    [InlineData(new[] { "--nprod=6", "--Pipeline:Consumers:Count=9" }, 6, 9)]
    public void Should_map_the_seed_switches_onto_the_counts(string[] args, int producers, int consumers)
    {
        Assert.Null(CommandLine.FindInvalidArgument(args));
        var configuration = new ConfigurationBuilder().AddCommandLine(args, CommandLine.SwitchMappings.ToDictionary()).Build();

        var options = configuration.GetSection(PipelineOptions.SectionName).Get<PipelineOptions>()!;

        Assert.Equal((producers, consumers), (options.Producers.Count, options.Consumers.Count));
    }

    [Theory]
    [InlineData(new[] { "-x", "1" }, "'-x' is not an option.")]
    [InlineData(new[] { "-p" }, "-p needs a value.")]
    [InlineData(new[] { "stray" }, "'stray' is not an option.")]
    [InlineData(new[] { "-p", "2", "--bogus" }, "--bogus is not a switch this program knows, and as a setting it needs a value (--Section:Key=value).")]
    public void Should_refuse_unknown_switches_and_missing_values(string[] args, string message)
    {
        Assert.Equal(message, CommandLine.FindInvalidArgument(args));
    }
}
