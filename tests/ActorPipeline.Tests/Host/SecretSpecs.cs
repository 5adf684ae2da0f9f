namespace ActorPipeline.Tests.Host;

/// <summary>
/// The Host as a child process given known passwords (the journal's, in its connection string, and the
/// certificate's) through environment variables, in the situations most likely to print them: debug
/// logging of everything, a journal that cannot be reached, a password that is wrong. Every line it
/// writes, to stdout or stderr, is searched.
/// </summary>
public sealed class SecretSpecs : IDisposable
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(60);
    private readonly TestCertificates _certificates = TestCertificates.Create();
    private readonly string _journalPassword = $"journal-{Guid.NewGuid():N}";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _certificates.Dispose();

    private Dictionary<string, string> Settings(string certificatePassword, string logLevel) => new()
    {
        ["DOTNET_ENVIRONMENT"] = "Container", // compact JSON: exceptions are written whole, with their messages
        ["Serilog__MinimumLevel__Default"] = logLevel,
        ["Serilog__MinimumLevel__Override__Akka"] = logLevel,
        ["Cluster__Tls__Enabled"] = "true",
        ["Cluster__Tls__CertificatePath"] = _certificates.NodePfxPath,
        ["Cluster__Tls__CertificatePassword"] = certificatePassword,
        ["Cluster__Tls__TrustedCaPath"] = _certificates.CaPath,
        ["Pipeline__Persistence__Provider"] = "PostgreSql",
        ["Pipeline__Persistence__ConnectionString"] =
            $"Host=127.0.0.1;Port={HostProcess.FreePort()};Username=pipeline;Password={_journalPassword};Database=pipeline;Timeout=1",
        ["Pipeline__Drain__Timeout"] = "00:00:02",
    };

    private void AssertNoSecretIn(HostProcess host)
    {
        var everything = string.Join('\n', host.Stdout.Concat(host.Stderr));
        Assert.DoesNotContain(_journalPassword, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(_certificates.NodePassword, everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_print_neither_password_while_the_journal_fails_at_debug_level()
    {
        using var host = HostProcess.Start([], Settings(_certificates.NodePassword, "Debug"));
        await host.WaitForOutputAsync(
            lines => lines.Count(l => l.Contains("Failed to initialize SQL Journal", StringComparison.Ordinal)) >= 2, RunLimit, Ct);

        host.Terminate();
        await host.WaitForExitAsync(RunLimit, Ct);

        // Debug events were written (CLEF names the level of anything below Information), so the search covers them.
        Assert.True(host.Stdout.Count(l => l.Contains("\"@l\":\"Debug\"", StringComparison.Ordinal)) > 20, $"{host.Stdout.Count} lines, few at Debug: debug logging was not on, so the search proves little");
        Assert.Contains(host.Stdout, l => l.Contains("akka.ssl.tcp://", StringComparison.Ordinal)); // TLS was on, so the certificate was used
        AssertNoSecretIn(host);
    }

    [Fact]
    public async Task Should_refuse_a_wrong_certificate_password_naming_the_key_without_printing_it()
    {
        var wrong = $"wrong-{Guid.NewGuid():N}";
        using var host = HostProcess.Start([], Settings(wrong, "Debug"));

        Assert.Equal(1, await host.WaitForExitAsync(RunLimit, Ct));

        var line = Assert.Single(host.Stderr);
        Assert.StartsWith("Invalid configuration: Cluster:Tls:CertificatePath = ", line, StringComparison.Ordinal);
        Assert.Contains("with the configured password", line, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, string.Join('\n', host.Stdout.Concat(host.Stderr)), StringComparison.Ordinal);
        AssertNoSecretIn(host);
    }
}
