namespace ConsoleProxy.Relay;

/// <summary>What the relay still owes the browser once the session is over.</summary>
internal enum ClientFarewell
{
    /// <summary>Our close frame with the session's reason, then the browser's answer (read by its pump).</summary>
    SendClose,

    /// <summary>The browser closed first: its close frame answered with its own code.</summary>
    AnswerClose,

    /// <summary>Nothing: the connection already sent the close frame that names the browser's protocol violation.</summary>
    AlreadyClosed,

    /// <summary>Nothing can reach the browser any more (its connection broke): stop the pumps.</summary>
    Abandon,
}
