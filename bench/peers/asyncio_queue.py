"""The seed's producer/consumer pattern on asyncio.Queue with the sleeps removed, for the side-by-side
load run: nprod producers put small random hex items (with their put time), ncon consumers get them and
call task_done; main gathers the producers, awaits q.join(), cancels the consumers. Prints one JSON line
in the load runner's format."""
import asyncio, json, os, resource, sys, time

async def produce(q, count, latencies):
    for _ in range(count):
        await q.put((os.urandom(5).hex(), time.perf_counter()))

async def consume(q, latencies):
    while True:
        item, put_at = await q.get()
        latencies.append(time.perf_counter() - put_at)
        q.task_done()

async def main(items, nprod, ncon, capacity):
    q = asyncio.Queue(maxsize=capacity)
    latencies = []
    consumers = [asyncio.create_task(consume(q, latencies)) for _ in range(ncon)]
    started = time.perf_counter()
    share = [items // nprod + (1 if i < items % nprod else 0) for i in range(nprod)]
    await asyncio.gather(*(produce(q, n, latencies) for n in share))
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
    asyncio.run(main(items, nprod, ncon, capacity))
