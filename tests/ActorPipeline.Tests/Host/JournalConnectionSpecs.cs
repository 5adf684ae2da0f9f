using Npgsql;

namespace ActorPipeline.Tests.Host;

/// <summary>The PostgreSQL journal's connection string: Npgsql's GSS probe off unless the user asks for it.</summary>
public sealed class JournalConnectionSpecs
{
    [Fact]
    public void Should_turn_the_gss_probe_off_when_the_connection_string_does_not_mention_it()
    {
        var effective = new NpgsqlConnectionStringBuilder(
            QueueStore.WithoutGssProbe("Host=postgres;Database=actor_pipeline;Username=actor_pipeline;Password=secret"));

        Assert.Equal((GssEncryptionMode.Disable, "postgres", "secret"), (effective.GssEncryptionMode, effective.Host, effective.Password));
    }

    [Fact]
    public void Should_keep_the_gss_mode_a_user_asked_for()
    {
        var effective = new NpgsqlConnectionStringBuilder(QueueStore.WithoutGssProbe("Host=db;Gss Encryption Mode=Require"));

        Assert.Equal(GssEncryptionMode.Require, effective.GssEncryptionMode);
    }
}
