using System.Text.Json.Nodes;

namespace Minuet.Platform.Packages.Model;

/// <summary>
/// One of Cosmos's typed errors: <c>type</c> is its error class name, <c>message</c> its text, <c>data</c> its details;
/// <see cref="Status"/> is the HTTP status Cosmos answers it with (400 unless it says otherwise).
/// </summary>
internal sealed record CosmosError(string Type, string Message, JsonObject? Data = null, int Status = 400)
{
    public JsonObject ToJson()
    {
        var body = new JsonObject { ["type"] = Type, ["message"] = Message };
        if (Data is not null)
        {
            body["data"] = Data.DeepClone();
        }

        return body;
    }
}
