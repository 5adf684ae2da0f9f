using System.Collections;

namespace ActorPipeline.Tests.Fakes;

/// <summary>
/// A list that claims <paramref name="count"/> entries and holds none: for specs that check a limit on a
/// list's count without allocating the list (a serializer must refuse it before reading any entry).
/// </summary>
internal sealed class CountOnlyList<T>(int count) : IReadOnlyList<T>
{
    public int Count { get; } = count;

    public T this[int index] => throw new InvalidOperationException($"Entry {index} was read: only the count of this list was meant to be.");

    public IEnumerator<T> GetEnumerator() => throw new InvalidOperationException("The list was enumerated: only its count was meant to be read.");

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
