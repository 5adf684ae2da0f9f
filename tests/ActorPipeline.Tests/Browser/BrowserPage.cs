using System.Text.Json;
using System.Text.Json.Nodes;

namespace ActorPipeline.Tests.Browser;

/// <summary>One tab of <see cref="HeadlessChromium"/>.</summary>
internal sealed class BrowserPage
{
    private readonly HeadlessChromium _browser;
    private readonly string _session;

    internal BrowserPage(HeadlessChromium browser, string session)
    {
        _browser = browser;
        _session = session;
    }

    /// <summary>Evaluates a script expression in the page; a promise is awaited. The value comes back as JSON.</summary>
    public async Task<JsonElement> EvaluateAsync(string expression, CancellationToken cancellationToken)
    {
        var result = await SendAsync(
            "Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true }, cancellationToken);
        if (result["exceptionDetails"] is { } failure)
        {
            throw new InvalidOperationException($"the page's script failed: {failure.ToJsonString()}");
        }

        var value = result["result"]?["value"];
        return JsonSerializer.SerializeToElement(value);
    }

    /// <summary>Polls a script condition until it is true (the page renders asynchronously, on events from the server).</summary>
    public async Task WaitForAsync(string condition, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (true)
        {
            var value = await EvaluateAsync($"!!({condition})", cancellationToken);
            if (value.ValueKind == JsonValueKind.True)
            {
                return;
            }

            try
            {
                await poll.WaitForNextTickAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"the page never showed: {condition}");
            }
        }
    }

    /// <summary>The page as it is drawn now, as PNG bytes.</summary>
    public async Task<byte[]> ScreenshotAsync(CancellationToken cancellationToken)
    {
        var result = await SendAsync(
            "Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true }, cancellationToken);
        return Convert.FromBase64String(result["data"]!.GetValue<string>());
    }

    internal Task<JsonNode> SendAsync(string method, JsonObject? parameters, CancellationToken cancellationToken) =>
        _browser.SendAsync(method, parameters, _session, cancellationToken);
}
