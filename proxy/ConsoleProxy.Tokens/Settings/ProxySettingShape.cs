namespace ConsoleProxy.Tokens.Settings;

/// <summary>How a setting's value is written: what the command line makes of it and how its one variable holds it.</summary>
public enum ProxySettingShape
{
    /// <summary>One string (`--redis HOST:PORT`).</summary>
    Text,

    /// <summary>A whole number (`--port 6080`).</summary>
    Integer,

    /// <summary>An on/off flag (`--ssl-only`); its variable holds true/false (or 1/0, yes/no, on/off).</summary>
    Flag,

    /// <summary>A duration (<see cref="Settings.Duration"/>); the operator writes whole seconds.</summary>
    Duration,

    /// <summary>A repeatable option; its variable holds the values comma-separated.</summary>
    List,
}
