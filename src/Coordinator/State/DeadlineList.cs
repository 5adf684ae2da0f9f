namespace ActorPipeline.Coordinator.State;

/// <summary>
/// Items in flight in the order they were delivered, which is also the order of their ack deadlines
/// (every delivery gets the same timeout). Intrusive, so it allocates nothing, removes in O(1) when an
/// item finishes or comes back, and holds exactly what is in flight.
/// </summary>
internal sealed class DeadlineList<TClient>
    where TClient : class
{
    private ItemState<TClient>? _oldest;
    private ItemState<TClient>? _newest;

    public int Count { get; private set; }

    public ItemState<TClient>? Oldest => _oldest;

    public void Add(ItemState<TClient> item, long deadline)
    {
        Remove(item);
        item.Deadline = deadline;
        item.Earlier = _newest;
        item.Later = null;
        if (_newest is null)
        {
            _oldest = item;
        }
        else
        {
            _newest.Later = item;
        }

        _newest = item;
        item.InDeadlineList = true;
        Count++;
    }

    public void Remove(ItemState<TClient> item)
    {
        if (!item.InDeadlineList)
        {
            return;
        }

        if (item.Earlier is null)
        {
            _oldest = item.Later;
        }
        else
        {
            item.Earlier.Later = item.Later;
        }

        if (item.Later is null)
        {
            _newest = item.Earlier;
        }
        else
        {
            item.Later.Earlier = item.Earlier;
        }

        item.Earlier = item.Later = null;
        item.InDeadlineList = false;
        Count--;
    }

    public void Clear()
    {
        while (_oldest is not null)
        {
            Remove(_oldest);
        }
    }
}
