using System.Text.Json.Nodes;
using ConsoleOperator.Render;
using YamlDotNet.Core;

namespace ConsoleOperator.Tests.Render;

public sealed class YamlJsonReaderTests
{
    [Fact]
    public void Plain_scalars_resolve_as_kubectl_reads_them_and_quoted_ones_stay_strings()
    {
        var document = YamlJsonReader.ReadDocuments("""
            port: 6080
            ratio: 0.5
            tls: true
            legacy: yes
            nothing: null
            empty:
            quoted: "6080"
            single: 'true'
            tagged: !!str 42
            text: console.example.com
            """)[0].AsObject();

        Assert.Equal(6080, document["port"]!.GetValue<long>());
        Assert.Equal(0.5, document["ratio"]!.GetValue<double>());
        Assert.True(document["tls"]!.GetValue<bool>());
        Assert.True(document["legacy"]!.GetValue<bool>());
        Assert.Null(document["nothing"]);
        Assert.True(document.ContainsKey("empty"));
        Assert.Null(document["empty"]);
        Assert.Equal("6080", document["quoted"]!.GetValue<string>());
        Assert.Equal("true", document["single"]!.GetValue<string>());
        Assert.Equal("42", document["tagged"]!.GetValue<string>());
        Assert.Equal("console.example.com", document["text"]!.GetValue<string>());
    }

    [Fact]
    public void A_stream_yields_each_non_empty_document_in_order()
    {
        var documents = YamlJsonReader.ReadDocuments("a: 1\n---\n---\n- x\n- z\n");

        Assert.Equal(2, documents.Count);
        Assert.Equal(1, documents[0]["a"]!.GetValue<long>());
        Assert.Equal(["x", "z"], documents[1].AsArray().Select(item => item!.GetValue<string>()));
    }

    [Fact]
    public void Duplicate_keys_and_broken_yaml_are_errors()
    {
        Assert.Throws<YamlException>(() => YamlJsonReader.ReadDocuments("a: 1\na: 2\n"));
        Assert.ThrowsAny<YamlException>(() => YamlJsonReader.ReadDocuments("a: [1, 2\n"));
    }

    [Fact]
    public void What_the_yaml_writer_prints_reads_back_as_the_same_json()
    {
        foreach (var crd in ConsoleOperator.Crds.CrdCatalog.Build())
        {
            var yaml = ConsoleOperator.Yaml.YamlDocumentWriter.Write([crd]);

            Assert.True(JsonNode.DeepEquals(crd, Assert.Single(YamlJsonReader.ReadDocuments(yaml))), yaml);
        }
    }

    [Fact]
    public void Nested_structures_convert_to_json_objects_and_arrays()
    {
        var document = YamlJsonReader.ReadDocuments("spec:\n  targets:\n    - \"[fd00::]/48:5900\"\n    - 10.0.0.0/8\n")[0];

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"spec":{"targets":["[fd00::]/48:5900","10.0.0.0/8"]}}"""), document));
    }
}
