using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ActorPipeline.Tests.Browser;

/// <summary>
/// Debian's chromium, headless, driven over the DevTools protocol on its own WebSocket: a page is opened,
/// scripts are evaluated in it and screenshots taken, as an operator's browser would load it.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CommandLimit = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode>> _pending = new();
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private Task _receiving = Task.CompletedTask;
    private int _nextId;

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>The browser to use: <c>CHROMIUM</c> if set, else Debian's <c>/usr/bin/chromium</c>; null if neither exists.</summary>
    public static string? Executable =>
        Environment.GetEnvironmentVariable("CHROMIUM") is { Length: > 0 } configured ? configured
        : File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium"
        : null;

    public static async Task<HeadlessChromium> StartAsync(CancellationToken cancellationToken)
    {
        var executable = Executable ?? throw new InvalidOperationException("no chromium: install Debian's chromium package or set CHROMIUM");
        var profile = Directory.CreateTempSubdirectory("actorpipeline-chromium-").FullName;
        var start = new ProcessStartInfo(executable) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[]
                 {
                     "--headless=new", "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                     "--disable-background-networking", "--disable-sync", "--hide-scrollbars", "--remote-debugging-port=0",
                     $"--user-data-dir={profile}", "--window-size=1400,1000", "about:blank",
                 })
        {
            start.ArgumentList.Add(arg);
        }

        if (Environment.UserName == "root")
        {
            start.ArgumentList.Add("--no-sandbox"); // chromium refuses to run as root with its sandbox; CI runs as root
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start");
        var browser = new HeadlessChromium(process, profile);
        var endpoint = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new ConcurrentQueue<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not { } line)
            {
                return;
            }

            log.Enqueue(line);
            const string Listening = "DevTools listening on ";
            if (line.StartsWith(Listening, StringComparison.Ordinal))
            {
                endpoint.TrySetResult(new Uri(line[Listening.Length..].Trim()));
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            var uri = await endpoint.Task.WaitAsync(StartLimit, cancellationToken);
            await browser._socket.ConnectAsync(uri, cancellationToken);
        }
        catch (TimeoutException)
        {
            await browser.DisposeAsync();
            throw new InvalidOperationException("chromium did not open its DevTools endpoint:\n" + string.Join('\n', log));
        }

        browser._receiving = browser.ReceiveAsync();
        return browser;
    }

    /// <summary>Opens <paramref name="url"/> in a new tab and waits for it to load.</summary>
    public async Task<BrowserPage> OpenAsync(Uri url, CancellationToken cancellationToken)
    {
        var target = await SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" }, null, cancellationToken);
        var attached = await SendAsync(
            "Target.attachToTarget", new JsonObject { ["targetId"] = target["targetId"]!.GetValue<string>(), ["flatten"] = true }, null, cancellationToken);
        var page = new BrowserPage(this, attached["sessionId"]!.GetValue<string>());
        await page.SendAsync("Page.enable", null, cancellationToken);
        await page.SendAsync("Page.navigate", new JsonObject { ["url"] = url.ToString() }, cancellationToken);
        await page.WaitForAsync("document.readyState === 'complete'", TimeSpan.FromSeconds(30), cancellationToken);
        return page;
    }

    internal async Task<JsonNode> SendAsync(string method, JsonObject? parameters, string? sessionId, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        if (sessionId is not null)
        {
            message["sessionId"] = sessionId;
        }

        await _sending.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, cancellationToken);
        }
        finally
        {
            _sending.Release();
        }

        return await reply.Task.WaitAsync(CommandLimit, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None);
            }
        }
        catch (InvalidOperationException)
        {
            // it had not started
        }

        try
        {
            await _receiving;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }

        _socket.Dispose();
        _process.Dispose();
        _sending.Dispose();
        _closing.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // chromium may still be writing its profile as it dies; a temp folder left behind is harmless
        }
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        while (_socket.State == WebSocketState.Open && !_closing.IsCancellationRequested)
        {
            var received = await _socket.ReceiveAsync(buffer, _closing.Token);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                break;
            }

            message.Write(buffer, 0, received.Count);
            if (!received.EndOfMessage)
            {
                continue;
            }

            var node = JsonNode.Parse(message.ToArray())!;
            message.SetLength(0);
            if (node["id"] is { } id && _pending.TryRemove(id.GetValue<int>(), out var reply))
            {
                if (node["error"] is { } error)
                {
                    reply.TrySetException(new InvalidOperationException($"DevTools: {error.ToJsonString()}"));
                }
                else
                {
                    reply.TrySetResult(node["result"] ?? new JsonObject());
                }
            }
        }

        foreach (var reply in _pending.Values)
        {
            reply.TrySetException(new InvalidOperationException("chromium closed its DevTools connection"));
        }
    }
}
