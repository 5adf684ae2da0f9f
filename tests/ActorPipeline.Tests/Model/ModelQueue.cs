namespace ActorPipeline.Tests.Model;

/// <summary>
/// The model's queue: each job's items in their own order (FIFO; items handed back go to the head of their job's
/// queue), and the jobs taking turns at the consumers: round robin over the jobs with queued items, each taking up
/// to its weight per turn. A job that empties keeps its place in the ring until its turn comes round and finds it
/// empty (a job that refills in the meantime goes on with its turn); a job alone in the ring keeps the consumers.
/// </summary>
internal sealed class ModelQueue
{
    private readonly List<ModelJob> _ring = [];

    /// <summary>Queued items, every job's.</summary>
    public int Count { get; private set; }

    /// <summary>Every queued item, job by job in the ring's order.</summary>
    public IEnumerable<ModelItem> Items => _ring.SelectMany(j => j.Queue);

    /// <summary>An item queued at the back of its job's queue.</summary>
    public void Add(ModelItem item)
    {
        item.Job.Queue.Add(item);
        Enter(item.Job);
        Count++;
    }

    /// <summary>An item handed back, to the head of its job's queue.</summary>
    public void AddFront(ModelItem item)
    {
        item.Job.Queue.Insert(0, item);
        Enter(item.Job);
        Count++;
    }

    public void Remove(ModelItem item)
    {
        if (item.Job.Queue.Remove(item))
        {
            Count--;
        }
    }

    /// <summary>The item the next delivery must carry, taken out; null if nothing is queued.</summary>
    public ModelItem? Take()
    {
        while (_ring.Count > 0)
        {
            var job = _ring[0];
            if (job.Queue.Count == 0)
            {
                _ring.RemoveAt(0);
                job.InRing = false;
                job.Taken = 0;
                continue;
            }

            var item = job.Queue[0];
            job.Queue.RemoveAt(0);
            Count--;
            if (++job.Taken >= job.Weight && _ring.Count > 1)
            {
                job.Taken = 0;
                _ring.RemoveAt(0);
                _ring.Add(job);
            }

            return item;
        }

        return null;
    }

    /// <summary>Every queue dropped and the turns forgotten (an immediate shutdown; a recovery, which then queues the unfinished oldest first).</summary>
    public void Clear()
    {
        foreach (var job in _ring)
        {
            job.Queue.Clear();
            job.InRing = false;
            job.Taken = 0;
        }

        _ring.Clear();
        Count = 0;
    }

    private void Enter(ModelJob job)
    {
        if (!job.InRing)
        {
            job.InRing = true;
            job.Taken = 0;
            _ring.Add(job);
        }
    }
}
