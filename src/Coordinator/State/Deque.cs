namespace ActorPipeline.Coordinator.State;

/// <summary>
/// A growable ring buffer: O(1) at both ends. The queue needs the head end as well as the tail,
/// because items handed back by a consumer go to the front (.NET has no deque).
/// </summary>
internal sealed class Deque<T>
{
    private T[] _buffer = new T[16];
    private int _head;

    public int Count { get; private set; }

    public void PushBack(T item)
    {
        GrowIfFull();
        _buffer[(_head + Count) & (_buffer.Length - 1)] = item;
        Count++;
    }

    public void PushFront(T item)
    {
        GrowIfFull();
        _head = (_head - 1) & (_buffer.Length - 1);
        _buffer[_head] = item;
        Count++;
    }

    public T PopFront()
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("The deque is empty.");
        }

        var item = _buffer[_head];
        _buffer[_head] = default!; // let the payload be collected
        _head = (_head + 1) & (_buffer.Length - 1);
        Count--;
        return item;
    }

    /// <summary>The element <paramref name="index"/> places from the head.</summary>
    public T this[int index] =>
        (uint)index < (uint)Count ? _buffer[(_head + index) & (_buffer.Length - 1)] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>Moves the element <paramref name="index"/> places from the head to the head, keeping the order of the others.</summary>
    public void MoveToFront(int index)
    {
        var item = this[index];
        for (var i = index; i > 0; i--)
        {
            _buffer[(_head + i) & (_buffer.Length - 1)] = _buffer[(_head + i - 1) & (_buffer.Length - 1)];
        }

        _buffer[_head] = item;
    }

    public T PeekFront() => Count == 0 ? throw new InvalidOperationException("The deque is empty.") : _buffer[_head];

    public bool Any(Func<T, bool> match)
    {
        for (var i = 0; i < Count; i++)
        {
            if (match(_buffer[(_head + i) & (_buffer.Length - 1)]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Removes every element matching <paramref name="match"/>, keeping the order of the rest.</summary>
    public int RemoveAll(Func<T, bool> match)
    {
        var kept = 0;
        var count = Count;
        for (var i = 0; i < count; i++)
        {
            var item = _buffer[(_head + i) & (_buffer.Length - 1)];
            if (!match(item))
            {
                _buffer[(_head + kept) & (_buffer.Length - 1)] = item;
                kept++;
            }
        }

        for (var i = kept; i < count; i++)
        {
            _buffer[(_head + i) & (_buffer.Length - 1)] = default!;
        }

        Count = kept;
        return count - kept;
    }

    public void Clear()
    {
        Array.Clear(_buffer);
        _head = 0;
        Count = 0;
    }

    // Capacity stays a power of two so that wrapping is a mask, not a division.
    private void GrowIfFull()
    {
        if (Count < _buffer.Length)
        {
            return;
        }

        var bigger = new T[_buffer.Length * 2];
        for (var i = 0; i < Count; i++)
        {
            bigger[i] = _buffer[(_head + i) & (_buffer.Length - 1)];
        }

        _buffer = bigger;
        _head = 0;
    }
}
