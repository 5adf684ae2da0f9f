"""The seed's producer/consumer pattern on asyncio.Queue with the sleeps removed, for the side-by-side
load run: nprod producers put small random hex items (with their put time), ncon consumers get them and
call task_done; main gathers the producers, awaits q.join(), cancels the consumers. Prints one JSON line
in the load runner's format. With --prints it also prints the seed's lines, one per put and per get."""
import asyncio, json, os, resource, sys, time

async def produce(q, index, count, prints):
    for _ in range(count):
        item = os.urandom(5).hex()
        await q.put((item, time.perf_counter()))
        if prints:
            print(f"Producer {index} added <{item}> to queue.")

async def consume(q, index, latencies, prints):
    while True:
        item, put_at = await q.get()
        latency = time.perf_counter() - put_at
        latencies.append(latency)
        if prints:
            print(f"Consumer {index} got element <{item}> in {latency:0.5f} seconds.")
        q.task_done()

async def main(items, nprod, ncon, capacity, prints):
    q = asyncio.Queue(maxsize=capacity)
    latencies = []
    consumers = [asyncio.create_task(consume(q, i, latencies, prints)) for i in range(ncon)]
    started = time.perf_counter()
    share = [items // nprod + (1 if i < items % nprod else 0) for i in range(nprod)]
    await asyncio.gather(*(produce(q, i, n, prints) for i, n in enumerate(share)))
    await q.join()
    elapsed = time.perf_counter() - started
    for c in consumers:
        c.cancel()
    latencies.sort()
    print(json.dumps({
        "scenario": "asyncio.Queue (python3)", "items": items, "seconds": elapsed,
        "latencyP50Ms": latencies[len(latencies) // 2] * 1000,
        "latencyP99Ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "peakMemoryMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))

if __name__ == "__main__":
    items, nprod, ncon, capacity = (int(a) for a in sys.argv[1:5])
    asyncio.run(main(items, nprod, ncon, capacity, "--prints" in sys.argv[5:]))
