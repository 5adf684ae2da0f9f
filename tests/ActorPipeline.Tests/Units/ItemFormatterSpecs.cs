using System.Text;

namespace ActorPipeline.Tests.Units;

/// <summary>How the operator's commands, which run without the item type, show a dead letter's payload.</summary>
public sealed class ItemFormatterSpecs
{
    [Theory]
    [InlineData("""{"path":"docs/a b.txt"}""")]
    [InlineData("""[1,2,"drei"]""")]
    public void Should_show_a_json_payload_as_its_text(string json) =>
        Assert.Equal(json, ItemFormatter.JsonOrHex.Describe(Encoding.UTF8.GetBytes(json)));

    [Theory]
    [InlineData("6142332378")] // printable ASCII ("aB3#x") that the demo's random bytes can be: still the hex its logs show
    [InlineData("17590c84ba")]
    [InlineData("7b0a7d")]     // "{\n}": a control character is not shown raw
    [InlineData("7bff7d")]     // not UTF-8
    [InlineData("")]
    public void Should_show_any_other_payload_as_hex(string hex) =>
        Assert.Equal(hex, ItemFormatter.JsonOrHex.Describe(Convert.FromHexString(hex)));
}
