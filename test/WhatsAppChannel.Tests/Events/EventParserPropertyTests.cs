using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Xunit;
using WhatsAppChannel.Personalization;
using WhatsAppChannel.Events;
using WhatsAppChannel.Outcomes;
using WhatsAppChannel.Planning;

namespace WhatsAppChannel.Tests.Events;

/// <summary>Over generated events: parsing (and planning what parses) either succeeds or throws InvalidEvent, nothing else.</summary>
public sealed class EventParserPropertyTests
{
    private static readonly DeliveryPlanner Planner = new(new PhoneNumberNormalizer(null), new LanguageSelector("en_US", true));

    private static bool SucceedsOrThrowsInvalidEvent(byte[] payload)
    {
        try
        {
            Planner.Plan(EventParser.Parse(payload));
            return true;
        }
        catch (InvalidEventException ex)
        {
            return ex.Message.Length > 0 && !ex.Message.Contains('\n', StringComparison.Ordinal);
        }
    }

    [Property(MaxTest = 1000)]
    public bool Any_bytes(byte[] payload) => SucceedsOrThrowsInvalidEvent(payload ?? []);

    [Property(MaxTest = 1000)]
    public bool Any_string(string text) => SucceedsOrThrowsInvalidEvent(Encoding.UTF8.GetBytes(text ?? string.Empty));

    [Property(MaxTest = 2000)]
    public bool Generated_events_of_the_pinpoint_shape(int seed) =>
        SucceedsOrThrowsInvalidEvent(Encoding.UTF8.GetBytes(EventGenerator.Generate(new Random(seed))));

    [Property(MaxTest = 500)]
    public bool Mutated_valid_events(int seed, PositiveInt cuts)
    {
        var random = new Random(seed);
        var bytes = Encoding.UTF8.GetBytes(EventGenerator.Generate(random));
        for (var i = 0; i < cuts.Get % 4 + 1 && bytes.Length > 0; i++)
        {
            bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
        }

        return SucceedsOrThrowsInvalidEvent(bytes);
    }

    /// <summary>Builds events that are mostly of the Pinpoint shape, with each part sometimes of the wrong kind.</summary>
    private static class EventGenerator
    {
        private static readonly string[] Words = ["", " ", "x", "ALL", "NONE", "INACTIVE", "ACTIVE", "+14155550123", "8613800138000", "a@b.c", "{{", "}}", "{{User.UserId}}", "{{|}}", "{{Attributes.A|fb}}", "\u202e", "🎉", "\\", "\"", "\u0000"];

        public static string Generate(Random random)
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream))
            {
                writer.WriteStartObject();
                if (random.Next(10) > 0)
                {
                    writer.WritePropertyName("Data");
                    WriteData(writer, random);
                }

                foreach (var name in new[] { "ApplicationId", "CampaignId", "TreatmentId", "JourneyId", "ActivityId", "ScheduledTime" })
                {
                    if (random.Next(3) == 0)
                    {
                        writer.WritePropertyName(name);
                        WriteScalar(writer, random, preferString: random.Next(5) > 0);
                    }
                }

                if (random.Next(10) > 0)
                {
                    writer.WritePropertyName("Endpoints");
                    if (random.Next(8) == 0)
                    {
                        WriteAny(writer, random, 2);
                    }
                    else
                    {
                        writer.WriteStartObject();
                        for (var i = random.Next(6); i > 0; i--)
                        {
                            writer.WritePropertyName(random.Next(4) == 0 ? Word(random) : "e" + random.Next(4));
                            WriteEndpoint(writer, random);
                        }

                        writer.WriteEndObject();
                    }
                }

                writer.WriteEndObject();
            }

            return Encoding.UTF8.GetString(stream.ToArray());
        }

        private static void WriteData(Utf8JsonWriter writer, Random random)
        {
            if (random.Next(6) == 0)
            {
                WriteAny(writer, random, 2);
                return;
            }

            using var inner = new MemoryStream();
            using (var data = new Utf8JsonWriter(inner))
            {
                if (random.Next(8) == 0)
                {
                    WriteAny(data, random, 3);
                }
                else
                {
                    data.WriteStartObject();
                    if (random.Next(8) > 0)
                    {
                        data.WritePropertyName("templateName");
                        WriteScalar(data, random, preferString: random.Next(6) > 0);
                    }

                    if (random.Next(2) == 0)
                    {
                        data.WritePropertyName("language");
                        WriteScalar(data, random, preferString: random.Next(6) > 0);
                    }

                    if (random.Next(6) > 0)
                    {
                        data.WritePropertyName("params");
                        WriteAny(data, random, 4);
                    }

                    data.WriteEndObject();
                }
            }

            var text = Encoding.UTF8.GetString(inner.ToArray());
            writer.WriteStringValue(random.Next(10) == 0 ? text[..random.Next(text.Length + 1)] : text);
        }

        private static void WriteEndpoint(Utf8JsonWriter writer, Random random)
        {
            if (random.Next(8) == 0)
            {
                WriteAny(writer, random, 2);
                return;
            }

            writer.WriteStartObject();
            foreach (var name in new[] { "Address", "OptOut", "EndpointStatus", "ChannelType" })
            {
                if (random.Next(4) > 0)
                {
                    writer.WritePropertyName(name);
                    WriteScalar(writer, random, preferString: random.Next(6) > 0);
                }
            }

            foreach (var name in new[] { "Attributes", "User", "Location", "Demographic", "Metrics" })
            {
                if (random.Next(3) == 0)
                {
                    writer.WritePropertyName(name);
                    WriteAny(writer, random, 3);
                }
            }

            writer.WriteEndObject();
        }

        private static void WriteAny(Utf8JsonWriter writer, Random random, int depth)
        {
            switch (depth <= 0 ? 0 : random.Next(4))
            {
                case 0:
                    WriteScalar(writer, random, preferString: random.Next(2) == 0);
                    break;
                case 1:
                    writer.WriteStartArray();
                    for (var i = random.Next(4); i > 0; i--)
                    {
                        WriteAny(writer, random, depth - 1);
                    }

                    writer.WriteEndArray();
                    break;
                default:
                    writer.WriteStartObject();
                    for (var i = random.Next(4); i > 0; i--)
                    {
                        writer.WritePropertyName(random.Next(3) == 0 ? Word(random) : new[] { "type", "parameters", "text", "UserAttributes", "FirstName", "UserId" }[random.Next(6)]);
                        WriteAny(writer, random, depth - 1);
                    }

                    writer.WriteEndObject();
                    break;
            }
        }

        private static void WriteScalar(Utf8JsonWriter writer, Random random, bool preferString)
        {
            if (preferString)
            {
                writer.WriteStringValue(Word(random) + (random.Next(3) == 0 ? Word(random) : string.Empty));
                return;
            }

            switch (random.Next(4))
            {
                case 0: writer.WriteNullValue(); break;
                case 1: writer.WriteBooleanValue(random.Next(2) == 0); break;
                case 2: writer.WriteNumberValue(random.NextDouble() * 1e6); break;
                default: writer.WriteNumberValue(random.Next()); break;
            }
        }

        private static string Word(Random random) => Words[random.Next(Words.Length)];
    }
}
