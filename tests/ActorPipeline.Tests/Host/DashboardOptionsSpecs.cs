
namespace ActorPipeline.Tests.Host;

/// <summary>The operator's settings (the page, health, metrics and their one server) as start-up validates them: off by default, and a bad one stops the node naming its key.</summary>
public sealed class DashboardOptionsSpecs : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("actorpipeline-dashboard-").FullName;

    [Fact]
    public void Should_be_off_and_read_only_on_the_embedded_default()
    {
        var options = ConfiguredOptions.Resolve<OperationsOptions>();

        Assert.False(options.DashboardEnabled);
        Assert.False(options.HealthEnabled);
        Assert.False(options.MetricsEnabled);
        Assert.False(options.HttpEnabled);
        Assert.Equal(8080, options.HttpPort);
        Assert.Equal("127.0.0.1", options.HttpHost);
        Assert.Null(options.EffectiveDashboardToken);
    }

    [Fact]
    public void Should_refuse_a_short_token_naming_the_key_but_never_the_token()
    {
        var failure = ConfiguredOptions.SingleFailure<OperationsOptions>(("Operations:DashboardToken", "hunter2"));

        Assert.StartsWith("Operations:DashboardToken:", failure, StringComparison.Ordinal);
        Assert.Contains($"at least {OperationsOptions.MinimumTokenLength} characters", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_read_the_token_from_its_file_without_the_line_break()
    {
        var file = Path.Combine(_folder, "dashboard.token");
        File.WriteAllText(file, "0123456789abcdef0123\n");

        var options = ConfiguredOptions.Resolve<OperationsOptions>(("Operations:DashboardTokenFile", file));

        Assert.Equal("0123456789abcdef0123", options.EffectiveDashboardToken);
    }

    [Fact]
    public void Should_refuse_a_token_file_that_is_missing_or_empty()
    {
        var missing = Path.Combine(_folder, "nowhere.token");
        Assert.Contains("cannot read", ConfiguredOptions.SingleFailure<OperationsOptions>(("Operations:DashboardTokenFile", missing)), StringComparison.Ordinal);

        var empty = Path.Combine(_folder, "empty.token");
        File.WriteAllText(empty, "\n");
        Assert.Contains("is empty", ConfiguredOptions.SingleFailure<OperationsOptions>(("Operations:DashboardTokenFile", empty)), StringComparison.Ordinal);
    }

    [Fact]
    public void Should_refuse_a_token_and_a_token_file_together()
    {
        var file = Path.Combine(_folder, "dashboard.token");
        File.WriteAllText(file, "0123456789abcdef0123");

        var failure = ConfiguredOptions.SingleFailure<OperationsOptions>(
            ("Operations:DashboardToken", "fedcba9876543210fedc"), ("Operations:DashboardTokenFile", file));

        Assert.StartsWith("Operations:DashboardTokenFile:", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Operations:HttpHost", "localhost")]
    [InlineData("Operations:HttpPort", "70000")]
    [InlineData("Operations:HttpPort", "0")]
    [InlineData("Operations:DashboardSampleInterval", "00:00:00")]
    [InlineData("Operations:DashboardHistory", "2.00:00:00")]
    public void Should_refuse_a_setting_out_of_range_naming_it(string key, string value)
    {
        Assert.StartsWith($"{key} = {value}", ConfiguredOptions.SingleFailure<OperationsOptions>((key, value)), StringComparison.Ordinal);
    }

    [Fact]
    public void Should_refuse_more_chart_points_than_a_page_can_draw()
    {
        var failure = ConfiguredOptions.SingleFailure<OperationsOptions>(
            ("Operations:DashboardHistory", "01:00:00"), ("Operations:DashboardSampleInterval", "00:00:00.100"));

        Assert.StartsWith("Operations:DashboardHistory = 01:00:00: keeps 36000 chart points", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HealthPort", "8081", "Operations:HealthEnabled = true")]
    [InlineData("MetricsPort", "9464", "Operations:MetricsEnabled = true")]
    [InlineData("DashboardPort", "8080", "Operations:DashboardEnabled = true")]
    [InlineData("DashboardHost", "0.0.0.0", "Operations:HttpHost")]
    public void Should_refuse_a_retired_key_naming_what_replaced_it(string retired, string value, string instead)
    {
        var failure = ConfiguredOptions.SingleFailure<OperationsOptions>(($"Operations:{retired}", value));

        Assert.StartsWith($"Operations:{retired} is no longer read: health, metrics and the page now share one server", failure, StringComparison.Ordinal);
        Assert.Contains(instead, failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_exit_1_naming_the_key_when_another_process_holds_the_port()
    {
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        holder.Start();
        var port = ((System.Net.IPEndPoint)holder.LocalEndpoint).Port;
        using var host = HostProcess.Start([$"--Operations:DashboardEnabled=true", $"--Operations:HttpPort={port}"], new Dictionary<string, string>(), _folder);

        Assert.Equal(1, await host.WaitForExitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken));
        Assert.Contains(host.Stderr, line => line.StartsWith($"Invalid configuration: Operations:HttpPort = {port}: cannot listen on 127.0.0.1:{port}", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
