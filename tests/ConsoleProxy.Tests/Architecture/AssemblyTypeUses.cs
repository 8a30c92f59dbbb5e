using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace ConsoleProxy.Tests.Architecture;

/// <summary>
/// Which of an assembly's namespaces uses which, read from the compiled assembly (not the sources, where a using
/// directive may be unused and a sibling namespace needs none): every type named by a type's base type, interfaces,
/// fields, properties, method signatures, locals, attributes and the tokens of its IL. Compiler-made types (closures,
/// state machines) count as the type they are nested in. A constant is copied into its users by the compiler, so a use
/// of another namespace's constants alone does not show.
/// </summary>
public static class AssemblyTypeUses
{
    // Operand sizes of every IL opcode, from the framework's own table; tokens are 4 bytes.
    private static readonly Dictionary<short, OperandType> OperandTypes = typeof(OpCodes)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!)
        .ToDictionary(code => code.Value, code => code.OperandType);

    /// <summary>The namespace graph of <paramref name="assemblyPath"/>, only namespaces under <paramref name="rootNamespace"/>.</summary>
    public static DependencyGraph NamespaceGraph(string assemblyPath, string rootNamespace)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var graph = new DependencyGraph();
        bool Counts(string ns) => ns.StartsWith(rootNamespace + ".", StringComparison.Ordinal);

        foreach (var handle in reader.TypeDefinitions)
        {
            var outermost = Outermost(reader, handle);
            var ns = reader.GetString(reader.GetTypeDefinition(outermost).Namespace);
            if (!Counts(ns))
            {
                continue;
            }

            graph.AddNode(ns);
            var user = Name(reader, outermost);
            foreach (var used in UsedTypes(reader, pe, handle))
            {
                var usedOutermost = Outermost(reader, used);
                var usedNs = reader.GetString(reader.GetTypeDefinition(usedOutermost).Namespace);
                if (usedNs != ns && Counts(usedNs))
                {
                    graph.AddArrow(ns, usedNs, $"{user} uses {Name(reader, usedOutermost)}");
                }
            }
        }

        return graph;
    }

    private static TypeDefinitionHandle Outermost(MetadataReader reader, TypeDefinitionHandle handle)
    {
        for (var declaring = reader.GetTypeDefinition(handle).GetDeclaringType(); !declaring.IsNil; declaring = reader.GetTypeDefinition(handle).GetDeclaringType())
        {
            handle = declaring;
        }

        return handle;
    }

    private static string Name(MetadataReader reader, TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        return $"{reader.GetString(type.Namespace)}.{reader.GetString(type.Name)}";
    }

    private static HashSet<TypeDefinitionHandle> UsedTypes(MetadataReader reader, PEReader pe, TypeDefinitionHandle handle)
    {
        var used = new HashSet<TypeDefinitionHandle>();
        var collector = new TypeUseCollector(found => used.Add(found));
        var type = reader.GetTypeDefinition(handle);

        if (!type.BaseType.IsNil)
        {
            Entity(reader, collector, type.BaseType);
        }

        foreach (var implementation in type.GetInterfaceImplementations())
        {
            Entity(reader, collector, reader.GetInterfaceImplementation(implementation).Interface);
        }

        Attributes(reader, collector, type.GetCustomAttributes());
        foreach (var fieldHandle in type.GetFields())
        {
            var field = reader.GetFieldDefinition(fieldHandle);
            field.DecodeSignature(collector, null);
            Attributes(reader, collector, field.GetCustomAttributes());
        }

        foreach (var propertyHandle in type.GetProperties())
        {
            reader.GetPropertyDefinition(propertyHandle).DecodeSignature(collector, null);
        }

        foreach (var methodHandle in type.GetMethods())
        {
            var method = reader.GetMethodDefinition(methodHandle);
            method.DecodeSignature(collector, null);
            Attributes(reader, collector, method.GetCustomAttributes());
            if (method.RelativeVirtualAddress != 0)
            {
                Body(reader, collector, pe.GetMethodBody(method.RelativeVirtualAddress));
            }
        }

        return used;
    }

    private static void Attributes(MetadataReader reader, TypeUseCollector collector, CustomAttributeHandleCollection attributes)
    {
        foreach (var attribute in attributes)
        {
            Entity(reader, collector, reader.GetCustomAttribute(attribute).Constructor);
        }
    }

    private static void Body(MetadataReader reader, TypeUseCollector collector, MethodBodyBlock body)
    {
        if (!body.LocalSignature.IsNil)
        {
            reader.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(collector, null);
        }

        var il = body.GetILReader();
        while (il.RemainingBytes > 0)
        {
            short value = il.ReadByte();
            if (value == 0xFE)
            {
                value = (short)(0xFE00 | il.ReadByte());
            }

            switch (OperandTypes[value])
            {
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType:
                    Entity(reader, collector, MetadataTokens.EntityHandle(il.ReadInt32()));
                    break;
                case OperandType.InlineSwitch:
                    // The count first: `il.Offset += 4 * il.ReadInt32()` would read Offset before the count moves it.
                    var targets = il.ReadInt32();
                    il.Offset += 4 * targets;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    il.Offset += 8;
                    break;
                case OperandType.InlineBrTarget or OperandType.InlineI or OperandType.InlineSig or OperandType.InlineString or OperandType.ShortInlineR:
                    il.Offset += 4;
                    break;
                case OperandType.InlineVar:
                    il.Offset += 2;
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    il.Offset += 1;
                    break;
                default:
                    break;
            }
        }
    }

    private static void Entity(MetadataReader reader, TypeUseCollector collector, EntityHandle handle)
    {
        switch (handle.Kind)
        {
            case HandleKind.TypeDefinition:
                collector.GetTypeFromDefinition(reader, (TypeDefinitionHandle)handle, 0);
                break;
            case HandleKind.TypeSpecification:
                reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(collector, null);
                break;
            case HandleKind.MethodDefinition:
                collector.GetTypeFromDefinition(reader, reader.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType(), 0);
                break;
            case HandleKind.FieldDefinition:
                collector.GetTypeFromDefinition(reader, reader.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType(), 0);
                break;
            case HandleKind.MemberReference:
                var member = reader.GetMemberReference((MemberReferenceHandle)handle);
                Entity(reader, collector, member.Parent);
                if (member.GetKind() == MemberReferenceKind.Method)
                {
                    member.DecodeMethodSignature(collector, null);
                }
                else
                {
                    member.DecodeFieldSignature(collector, null);
                }

                break;
            case HandleKind.MethodSpecification:
                var specification = reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                Entity(reader, collector, specification.Method);
                specification.DecodeSignature(collector, null);
                break;
            default:
                // Type references (other assemblies), module references: not this assembly's folders.
                break;
        }
    }
}
