namespace ActorPipeline.ClusterTests;

/// <summary>Environment settings for producer and consumer nodes of a spec.</summary>
internal static class NodeSettings
{
    public static (string, string)[] Producers(int count, int items, string maxDelay) =>
    [
        ("Pipeline__Producers__Count", $"{count}"),
        ("Demo__Producers__MinItems", $"{items}"),
        ("Demo__Producers__MaxItems", $"{items}"),
        ("Demo__Producers__MaxDelay", maxDelay),
    ];

    public static (string, string)[] Consumers(int count, string minDelay, string maxDelay, int prefetch = 1) =>
    [
        ("Pipeline__Consumers__Count", $"{count}"),
        ("Demo__Consumers__MinDelay", minDelay),
        ("Demo__Consumers__MaxDelay", maxDelay),
        ("Pipeline__Consumers__Prefetch", $"{prefetch}"),
    ];
}
