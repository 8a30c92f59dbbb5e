namespace ConsoleProxy.Rfb;

/// <summary>Where <see cref="ViewOnlyFilter"/> is in the client's byte stream.</summary>
internal enum ViewOnlyPhase
{
    ProtocolVersion,
    SecurityChoice,
    AuthenticationResponse,
    ClientInit,
    MessageStart,
    MessageHeader,
    MessageBody,
    DropAll,
}
