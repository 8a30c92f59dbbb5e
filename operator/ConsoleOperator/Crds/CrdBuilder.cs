using System.Text.Json.Nodes;
using ConsoleOperator.Crds.Schema;

namespace ConsoleOperator.Crds;

/// <summary>Builds an apiextensions.k8s.io/v1 CustomResourceDefinition for a kind, as JSON.</summary>
public static class CrdBuilder
{
    public static JsonObject Build(CustomResourceKind kind)
    {
        var spec = OpenApiSchemaGenerator.For(kind.SpecType);
        var status = OpenApiSchemaGenerator.For(kind.StatusType);
        var root = new JsonObject
        {
            ["type"] = "object",
            ["description"] = kind.Description,
            ["required"] = new JsonArray("spec"),
            ["properties"] = new JsonObject
            {
                ["apiVersion"] = new JsonObject { ["type"] = "string" },
                ["kind"] = new JsonObject { ["type"] = "string" },
                ["metadata"] = new JsonObject { ["type"] = "object" },
                ["spec"] = spec,
                ["status"] = status,
            },
        };

        var columns = new JsonArray();
        foreach (var column in kind.PrinterColumns)
        {
            var entry = new JsonObject { ["name"] = column.Name, ["type"] = column.Type, ["jsonPath"] = column.JsonPath };
            if (column.Description is not null)
            {
                entry["description"] = column.Description;
            }

            if (column.Priority != 0)
            {
                entry["priority"] = column.Priority;
            }

            columns.Add(entry);
        }

        return new JsonObject
        {
            ["apiVersion"] = "apiextensions.k8s.io/v1",
            ["kind"] = "CustomResourceDefinition",
            ["metadata"] = new JsonObject { ["name"] = kind.CrdName },
            ["spec"] = new JsonObject
            {
                ["group"] = kind.Group,
                ["names"] = new JsonObject
                {
                    ["kind"] = kind.Kind,
                    ["listKind"] = kind.Kind + "List",
                    ["plural"] = kind.Plural,
                    ["singular"] = kind.Singular,
                    ["shortNames"] = new JsonArray([.. kind.ShortNames.Select(name => (JsonNode)name)]),
                    ["categories"] = new JsonArray("consoleoperator"),
                },
                ["scope"] = "Namespaced",
                ["versions"] = new JsonArray(new JsonObject
                {
                    ["name"] = kind.Version,
                    ["served"] = true,
                    ["storage"] = true,
                    ["subresources"] = new JsonObject { ["status"] = new JsonObject() },
                    ["additionalPrinterColumns"] = columns,
                    ["schema"] = new JsonObject { ["openAPIV3Schema"] = root },
                }),
            },
        };
    }
}
