
namespace ActorPipeline.Tests.Host;

/// <summary>The page's gatekeeping, without a server: the token, the Host header on loopback, what a requeue must say.</summary>
public sealed class DashboardRequestSpecs
{
    private const string Token = "0123456789abcdef0123";

    [Theory]
    [InlineData("Bearer 0123456789abcdef0123", true)]
    [InlineData("bearer 0123456789abcdef0123 ", true)]
    [InlineData("Bearer 0123456789abcdef012", false)] // one short
    [InlineData("Bearer 0123456789abcdef01234", false)]
    [InlineData("Basic 0123456789abcdef0123", false)]
    [InlineData("0123456789abcdef0123", false)]
    [InlineData("Bearer ", false)]
    [InlineData(null, false)]
    public void Should_take_only_the_token_as_a_bearer(string? authorization, bool taken)
    {
        Assert.Equal(taken, DashboardToken.Matches(Token, authorization));
    }

    [Fact]
    public void Should_match_a_configured_token_whatever_whitespace_surrounds_it()
    {
        Assert.True(DashboardToken.Matches($" {Token}\t", $"Bearer {Token}"));
    }

    [Theory]
    [InlineData("localhost", true)]
    [InlineData("LOCALHOST", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.1.2.3", true)]
    [InlineData("[::1]", true)]
    [InlineData("evil.example", false)]
    [InlineData("localhost.evil.example", false)]
    [InlineData("10.0.0.5", false)]
    [InlineData("", false)]
    public void Should_answer_on_loopback_only_to_loopback_names(string host, bool allowed)
    {
        Assert.Equal(allowed, LoopbackHostOnly.Allows(host));
    }

    [Fact]
    public void Should_take_a_requeue_only_when_it_names_items_or_says_all()
    {
        Assert.Null(new RequeueRequest([3, 5], All: false).Problem);
        Assert.Null(new RequeueRequest(null, All: true).Problem);
        Assert.Contains("all: true", new RequeueRequest(null, All: false).Problem, StringComparison.Ordinal);
        Assert.Contains("all: true", new RequeueRequest([], All: false).Problem, StringComparison.Ordinal);
        Assert.Contains("not both", new RequeueRequest([3], All: true).Problem, StringComparison.Ordinal);
    }
}
