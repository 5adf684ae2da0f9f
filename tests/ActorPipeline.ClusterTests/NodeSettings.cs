namespace ActorPipeline.ClusterTests;

/// <summary>Environment settings for producer and consumer nodes of a spec.</summary>
public static class NodeSettings
{
    public static (string, string)[] Producers(int count, int items, string maxDelay) =>
    [
        ("Pipeline__Producers__Count", $"{count}"),
        ("Pipeline__Producers__MinItems", $"{items}"),
        ("Pipeline__Producers__MaxItems", $"{items}"),
        ("Pipeline__Producers__MaxDelay", maxDelay),
    ];

    public static (string, string)[] Consumers(int count, string minDelay, string maxDelay, int prefetch = 1) =>
    [
        ("Pipeline__Consumers__Count", $"{count}"),
        ("Pipeline__Consumers__MinDelay", minDelay),
        ("Pipeline__Consumers__MaxDelay", maxDelay),
        ("Pipeline__Consumers__Prefetch", $"{prefetch}"),
    ];
}
