using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ActorPipeline.Hosting.Http;

/// <summary>
/// Endpoints the node's one HTTP server serves (health, metrics, the operator's page), each switched on by a
/// setting of its own. A concern adds its group as a singleton <see cref="IEndpointGroup"/>; <see cref="NodeHttpService"/>
/// starts the server when at least one group is on and maps every group that is.
/// </summary>
/// <remarks>
/// Implementations keep ASP.NET Core out of their constructors and of <see cref="Enabled"/>: a node with every group off
/// reads only those, and never loads ASP.NET Core.
/// </remarks>
internal interface IEndpointGroup
{
    /// <summary>Whether the node serves this group, from its validated setting.</summary>
    bool Enabled { get; }

    /// <summary>What the server's start-up line lists for it: <c>health (/health/live, /health/ready)</c>.</summary>
    string Description { get; }

    /// <summary>
    /// Adds what its endpoints resolve from the server's own container, which is not the node's: usually the
    /// node's own instance of a service (<c>services.AddSingleton(nodeInstance)</c>).
    /// </summary>
    void AddServices(IServiceCollection services)
    {
    }

    /// <summary>Maps its endpoints; those that mind who reads them carry <see cref="LoopbackHostOnly.Metadata"/>.</summary>
    void Map(IEndpointRouteBuilder endpoints);
}
