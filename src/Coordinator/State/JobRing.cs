namespace ActorPipeline.Coordinator.State;

/// <summary>
/// Jobs take turns at the consumers: round robin over the jobs that have items queued, each taking up to its
/// weight per turn, and each job's items in their own order. With one job (a batch run) it is a plain FIFO queue.
/// Live only: <see cref="CoordinatorState{TClient}"/> rebuilds it from the queued items after recovery.
/// </summary>
internal sealed class JobRing<TClient>
    where TClient : class
{
    private readonly Deque<JobState<TClient>> _ring = new();

    public int Count => _ring.Count;

    /// <summary>An item was queued at the back of its job's queue.</summary>
    public void PushBack(ItemState<TClient> item)
    {
        item.Job.Queue.PushBack(item);
        Enter(item.Job);
    }

    /// <summary>An item came back, to the head of its job's queue.</summary>
    public void PushFront(ItemState<TClient> item)
    {
        item.Job.Queue.PushFront(item);
        Enter(item.Job);
    }

    /// <summary>
    /// The next queued item, in turn. The caller guarantees that enough are queued (items taken in one batch are
    /// still counted queued until the batch is recorded, so the walk goes by the queues' entries, not the counts);
    /// entries of items finished while they waited are skipped and dropped.
    /// </summary>
    public ItemState<TClient> Take()
    {
        while (true)
        {
            var job = _ring.PeekFront();
            var queue = job.Queue;
            while (queue.Count > 0 && queue.PeekFront().Place != ItemPlace.Queued)
            {
                queue.PopFront(); // completed by a late ack, or discarded, while it waited here
            }

            if (queue.Count == 0)
            {
                Leave(job);
                continue;
            }

            var entry = queue.PopFront();
            if (++job.TakenThisTurn >= job.Weight && _ring.Count > 1)
            {
                // Its turn is over: the next job's comes. A job alone keeps the consumers to itself.
                job.TakenThisTurn = 0;
                _ring.PushBack(_ring.PopFront());
            }

            return entry;
        }
    }

    /// <summary>Drops every queue (an immediate shutdown, or the order rebuilt after recovery).</summary>
    public void Clear(IEnumerable<JobState<TClient>> jobs)
    {
        foreach (var job in jobs)
        {
            job.Queue.Clear();
            job.InRing = false;
            job.TakenThisTurn = 0;
        }

        _ring.Clear();
    }

    /// <summary>Drops a job's skipped entries once they outnumber its queued items, so its queue stays bounded by them.</summary>
    public static void CompactIfSparse(JobState<TClient> job)
    {
        if (job.Queue.Count > (2 * job.Queued) + 64)
        {
            job.Queue.RemoveAll(entry => entry.Place != ItemPlace.Queued);
        }
    }

    /// <summary>The put time of the oldest item at the head of any job's queue.</summary>
    public DateTime? OldestPutAt()
    {
        DateTime? oldest = null;
        for (var i = 0; i < _ring.Count; i++)
        {
            var queue = _ring[i].Queue;
            while (queue.Count > 0 && queue.PeekFront().Place != ItemPlace.Queued)
            {
                queue.PopFront();
            }

            if (queue.Count > 0 && (oldest is null || queue.PeekFront().Item.PutAt < oldest))
            {
                oldest = queue.PeekFront().Item.PutAt;
            }
        }

        return oldest;
    }

    /// <summary>Entries held in every job's queue, skipped ones included: for the specs that bound the structures.</summary>
    public static int Entries(IEnumerable<JobState<TClient>> jobs) => jobs.Sum(j => j.Queue.Count);

    private void Enter(JobState<TClient> job)
    {
        if (!job.InRing)
        {
            job.InRing = true;
            job.TakenThisTurn = 0;
            _ring.PushBack(job);
        }
    }

    private void Leave(JobState<TClient> job)
    {
        _ring.PopFront();
        job.InRing = false;
        job.TakenThisTurn = 0;
    }
}
