using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace TestKit.FakeApiServer;

/// <summary>
/// A parsed <c>labelSelector</c> query (k8s.io/apimachinery/pkg/labels grammar): <c>k=v</c>, <c>k==v</c>,
/// <c>k!=v</c>, <c>k in (a,b)</c>, <c>k notin (a,b)</c>, <c>k</c>, <c>!k</c>, <c>k&gt;1</c>, <c>k&lt;1</c>, comma-separated
/// (all must hold). Parse errors carry the apiserver's message text.
/// </summary>
public sealed class LabelSelector
{
    private readonly IReadOnlyList<Requirement> _requirements;

    private LabelSelector(IReadOnlyList<Requirement> requirements) => _requirements = requirements;

    public static LabelSelector Everything { get; } = new([]);

    /// <summary>Parses a selector; throws <see cref="FormatException"/> with the server's message on bad input.</summary>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var tokens = Lex(text);
        var position = 0;
        var requirements = new List<Requirement>();
        while (true)
        {
            requirements.Add(ParseRequirement(tokens, ref position));
            var next = tokens[position];
            if (next.Kind == TokenKind.End)
            {
                return new LabelSelector(requirements);
            }

            if (next.Kind != TokenKind.Comma)
            {
                throw new FormatException($"found '{next.Text}', expected: ',' or 'end of string'");
            }

            position++;
        }
    }

    public bool Matches(JsonObject obj)
    {
        var labels = obj["metadata"]?["labels"] as JsonObject;
        return _requirements.All(r => r.Matches(labels));
    }

    private static Requirement ParseRequirement(List<Token> tokens, ref int position)
    {
        var token = tokens[position];
        if (token.Kind == TokenKind.Bang)
        {
            position++;
            var negated = tokens[position];
            if (negated.Kind != TokenKind.Identifier)
            {
                throw Unable($"found '{negated.Text}', expected: identifier after '!'");
            }

            position++;
            return new Requirement(negated.Text, Operator.DoesNotExist, []);
        }

        if (token.Kind != TokenKind.Identifier)
        {
            throw Unable($"found '{token.Text}', expected: !, identifier, or 'end of string'");
        }

        var key = token.Text;
        position++;
        var op = tokens[position];
        switch (op.Kind)
        {
            case TokenKind.End or TokenKind.Comma:
                return new Requirement(key, Operator.Exists, []);
            case TokenKind.Equals or TokenKind.DoubleEquals or TokenKind.NotEquals or TokenKind.Greater or TokenKind.Less:
                {
                    position++;
                    var value = tokens[position];
                    string exact;
                    if (value.Kind is TokenKind.End or TokenKind.Comma)
                    {
                        exact = string.Empty;
                    }
                    else if (value.Kind == TokenKind.Identifier)
                    {
                        exact = value.Text;
                        position++;
                    }
                    else
                    {
                        throw Unable($"found '{value.Text}', expected: identifier");
                    }

                    var kind = op.Kind switch
                    {
                        TokenKind.NotEquals => Operator.NotEquals,
                        TokenKind.Greater => Operator.GreaterThan,
                        TokenKind.Less => Operator.LessThan,
                        _ => Operator.Equals,
                    };
                    if (kind is Operator.GreaterThan or Operator.LessThan && !long.TryParse(exact, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
                    {
                        throw Unable($"for 'Gt', 'Lt' operators, the value must be an integer");
                    }

                    return new Requirement(key, kind, [exact]);
                }

            case TokenKind.Identifier when op.Text is "in" or "notin":
                {
                    position++;
                    if (tokens[position].Kind != TokenKind.OpenParen)
                    {
                        throw Unable($"found '{tokens[position].Text}', expected: '('");
                    }

                    position++;
                    var values = new List<string>();
                    while (true)
                    {
                        var item = tokens[position];
                        if (item.Kind == TokenKind.Identifier)
                        {
                            values.Add(item.Text);
                            position++;
                        }
                        else if (item.Kind is TokenKind.Comma or TokenKind.CloseParen)
                        {
                            // An empty value between commas is the empty string, as in the apiserver.
                            values.Add(string.Empty);
                        }
                        else
                        {
                            throw Unable($"found '{item.Text}', expected: ',', ')' or identifier");
                        }

                        var separator = tokens[position];
                        if (separator.Kind == TokenKind.CloseParen)
                        {
                            position++;
                            break;
                        }

                        if (separator.Kind != TokenKind.Comma)
                        {
                            throw Unable($"found '{separator.Text}', expected: ',' or ')'");
                        }

                        position++;
                    }

                    return new Requirement(key, op.Text == "in" ? Operator.In : Operator.NotIn, values);
                }

            default:
                throw Unable($"found '{op.Text}', expected: in, notin, =, ==, !=, gt, lt");
        }
    }

    private static FormatException Unable(string detail) => new($"unable to parse requirement: {detail}");

    private static List<Token> Lex(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var two = i + 1 < text.Length ? text.Substring(i, 2) : string.Empty;
            switch (two)
            {
                case "==":
                    tokens.Add(new Token(TokenKind.DoubleEquals, "=="));
                    i += 2;
                    continue;
                case "!=":
                    tokens.Add(new Token(TokenKind.NotEquals, "!="));
                    i += 2;
                    continue;
            }

            var single = c switch
            {
                '=' => TokenKind.Equals,
                '!' => TokenKind.Bang,
                ',' => TokenKind.Comma,
                '(' => TokenKind.OpenParen,
                ')' => TokenKind.CloseParen,
                '>' => TokenKind.Greater,
                '<' => TokenKind.Less,
                _ => TokenKind.Identifier,
            };
            if (single != TokenKind.Identifier)
            {
                tokens.Add(new Token(single, c.ToString()));
                i++;
                continue;
            }

            var identifier = new StringBuilder();
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && "=!,()<>".IndexOf(text[i], StringComparison.Ordinal) < 0)
            {
                identifier.Append(text[i]);
                i++;
            }

            tokens.Add(new Token(TokenKind.Identifier, identifier.ToString()));
        }

        tokens.Add(new Token(TokenKind.End, string.Empty));
        return tokens;
    }

    private enum TokenKind
    {
        Identifier,
        Equals,
        DoubleEquals,
        NotEquals,
        Bang,
        Comma,
        OpenParen,
        CloseParen,
        Greater,
        Less,
        End,
    }

    private enum Operator
    {
        Equals,
        NotEquals,
        In,
        NotIn,
        Exists,
        DoesNotExist,
        GreaterThan,
        LessThan,
    }

    private readonly record struct Token(TokenKind Kind, string Text);

    private sealed record Requirement(string Key, Operator Op, IReadOnlyList<string> Values)
    {
        public bool Matches(JsonObject? labels)
        {
            string? value = labels is not null && labels[Key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
            return Op switch
            {
                Operator.Equals => value is not null && value == Values[0],
                Operator.NotEquals => value is null || value != Values[0],
                Operator.In => value is not null && Values.Contains(value),
                Operator.NotIn => value is null || !Values.Contains(value),
                Operator.Exists => value is not null,
                Operator.DoesNotExist => value is null,
                Operator.GreaterThan => value is not null && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var gt) && gt > long.Parse(Values[0], CultureInfo.InvariantCulture),
                Operator.LessThan => value is not null && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var lt) && lt < long.Parse(Values[0], CultureInfo.InvariantCulture),
                _ => false,
            };
        }
    }
}
