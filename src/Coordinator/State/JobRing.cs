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
    /// The next queued item, in turn. The caller guarantees some job has one, so the walk ends; entries of items
    /// finished while they waited are skipped and dropped. A job whose queue holds no entry left is passed by its
    /// entries, not its queued count: within one delivery the items taken are still counted queued until it is
    /// recorded, so a batch that runs past the end of one job's queue goes on in the next job's.
    /// </summary>
    public ItemState<TClient> Take()
    {
        while (true)
        {
            var job = _ring.PeekFront();
            if (job.Queue.Count == 0)
            {
                Leave(job);
                continue;
            }

            var entry = job.Queue.PopFront();
            if (entry.Place != ItemPlace.Queued)
            {
                continue; // completed by a late ack, or discarded, while it waited here
            }

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
        job.Queue.Clear(); // only skipped entries are left
        job.InRing = false;
        job.TakenThisTurn = 0;
    }
}
