using System.Buffers.Binary;

namespace ConsoleProxy.Benchmarks.Fleet;

/// <summary>
/// Cuts one direction's byte stream back into <see cref="ConsoleMessages"/> (a relay may split or join
/// them anywhere) and records each message's latency when its last byte arrives: a screen update counts
/// when the whole frame is there, as a viewer would paint it.
/// </summary>
public sealed class MessageStreamReader(bool updates, ConsoleMessages clock, LatencyRecorder recorder, MeasurementWindow window)
{
    private readonly byte[] _header = new byte[ConsoleMessages.UpdateHeaderLength];
    private int _headerHave;
    private int _left;
    private uint _sent;

    private int HeaderLength => updates ? ConsoleMessages.UpdateHeaderLength : 5;

    /// <summary>Consumes what was received; throws when the stream is not made of well-formed messages (a relay that corrupts must not pass).</summary>
    public void Consume(ReadOnlySpan<byte> received)
    {
        while (!received.IsEmpty)
        {
            if (_headerHave < HeaderLength)
            {
                var take = Math.Min(HeaderLength - _headerHave, received.Length);
                received[..take].CopyTo(_header.AsSpan(_headerHave));
                _headerHave += take;
                received = received[take..];
                if (_headerHave < HeaderLength)
                {
                    return;
                }

                var length = updates ? BinaryPrimitives.ReadInt32BigEndian(_header) : _header[0];
                var (min, max) = updates ? (ConsoleMessages.MinUpdate, ConsoleMessages.MaxUpdate) : (ConsoleMessages.MinInput, ConsoleMessages.MaxInput);
                if (length < min || length > max)
                {
                    throw new InvalidDataException($"a {(updates ? "screen update" : "input event")} arrived with length {length}, outside {min}-{max}: the relay corrupted or reordered the stream");
                }

                _sent = BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(updates ? 4 : 1));
                _left = length - HeaderLength;
            }

            var body = Math.Min(_left, received.Length);
            received = received[body..];
            _left -= body;
            if (_left == 0)
            {
                // Signed: a wrapped difference would read as 71 minutes. Nothing leaves before its due time, so a
                // negative value would be a bug in the generator, and shows as 0 rather than as a huge latency.
                if (recorder.Record(_sent, (uint)Math.Max(0, unchecked((int)(clock.NowMicros() - _sent)))))
                {
                    window.CountReceived();
                }
                _headerHave = 0;
            }
        }
    }
}
