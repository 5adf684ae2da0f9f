using ActorPipeline.Coordinator;

namespace ActorPipeline.Tests.Units;

public sealed class DequeSpecs
{
    [Fact]
    public void Should_keep_fifo_order_across_growth_and_wrap_around()
    {
        var deque = new Deque<int>();
        var expected = new Queue<int>();
        for (var round = 0; round < 100; round++)
        {
            for (var i = 0; i < 7; i++)
            {
                deque.PushBack((round * 7) + i);
                expected.Enqueue((round * 7) + i);
            }

            for (var i = 0; i < 5; i++)
            {
                Assert.Equal(expected.Dequeue(), deque.PopFront());
            }
        }

        Assert.Equal(expected.Count, deque.Count);
        while (expected.Count > 0)
        {
            Assert.Equal(expected.Dequeue(), deque.PopFront());
        }
    }

    [Fact]
    public void Should_put_pushed_front_items_ahead_in_reverse_push_order()
    {
        var deque = new Deque<string>();
        deque.PushBack("c");
        deque.PushFront("b");
        deque.PushFront("a");

        Assert.Equal(["a", "b", "c"], new[] { deque.PopFront(), deque.PopFront(), deque.PopFront() });
        Assert.Throws<InvalidOperationException>(() => deque.PopFront());
    }

    [Fact]
    public void Should_remove_matching_items_and_keep_the_order_of_the_rest()
    {
        var deque = new Deque<int>();
        for (var i = 0; i < 40; i++)
        {
            deque.PushFront(i); // wraps the head around the buffer
        }

        Assert.Equal(20, deque.RemoveAll(i => i % 2 == 0));

        var rest = new List<int>();
        while (deque.Count > 0)
        {
            rest.Add(deque.PopFront());
        }

        Assert.Equal(Enumerable.Range(0, 40).Reverse().Where(i => i % 2 == 1), rest);
    }
}
