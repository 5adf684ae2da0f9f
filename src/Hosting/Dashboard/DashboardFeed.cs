using System.Threading.Channels;

namespace ActorPipeline.Hosting.Dashboard;

/// <summary>
/// Hands each new view to every open page. A page that reads slowly misses intermediate views (its
/// buffer keeps the newest few), so one stalled browser cannot hold memory or the sampler back.
/// </summary>
internal sealed class DashboardFeed
{
    private const int Buffered = 4;

    private readonly Lock _gate = new();
    private readonly List<Channel<DashboardView>> _subscribers = [];
    private bool _completed;

    /// <summary>Views from now on, until <see cref="Complete"/> or <see cref="Unsubscribe"/>.</summary>
    public ChannelReader<DashboardView> Subscribe()
    {
        var channel = Channel.CreateBounded<DashboardView>(
            new BoundedChannelOptions(Buffered) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_gate)
        {
            if (_completed)
            {
                channel.Writer.TryComplete();
            }
            else
            {
                _subscribers.Add(channel);
            }
        }

        return channel.Reader;
    }

    public void Unsubscribe(ChannelReader<DashboardView> reader)
    {
        lock (_gate)
        {
            _subscribers.RemoveAll(c => c.Reader == reader);
        }
    }

    public void Publish(DashboardView view)
    {
        lock (_gate)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryWrite(view);
            }
        }
    }

    /// <summary>The node is stopping: every page gets what was published and then the end of the stream.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryComplete();
            }

            _subscribers.Clear();
        }
    }
}
