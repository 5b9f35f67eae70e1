using System.Net;
using Microsoft.Extensions.Options;

namespace Portal.Features.Intake.Abuse;

/// <summary>
/// How far the public forms' accepted submissions, in total and from one address, run above what the office
/// normally receives, as the extra bits of proof of work the next form must carry (each bit doubles the work).
/// Each count decays exponentially with <see cref="ProofOfWorkOptions.Window"/> as its time constant, so "N per
/// window" reads the same for a burst and for a steady rate, the level rises within seconds of a flood and falls
/// back by itself afterwards, one bit about every 0.7 window. Only accepted submissions count: posts that fail the
/// proof cost the sender nothing, and must not let anyone make the page harder for everybody else for free.
/// </summary>
public sealed class SubmissionPressure(TimeProvider time, IOptionsMonitor<IntakeOptions> options)
{
    /// <summary>Addresses followed at once; past this a flood is already visible in the total.</summary>
    private const int MaxAddresses = 100_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, DecayingCount> _byAddress = new(StringComparer.Ordinal);
    private DecayingCount _total;
    private DateTimeOffset _nextSweep = DateTimeOffset.MinValue;

    /// <summary>Extra bits for a form shown to (or posted from) <paramref name="address"/> now.</summary>
    public int ExtraBits(IPAddress? address)
    {
        var settings = options.CurrentValue.ProofOfWork;
        var now = time.GetUtcNow();
        lock (_lock)
        {
            var total = Bits(_total.At(now, settings.Window), settings.NormalInTotal, settings.MaxExtraBits);
            var own = _byAddress.TryGetValue(Key(address), out var count) ? Bits(count.At(now, settings.Window), settings.NormalPerAddress, settings.MaxExtraBits) : 0;
            return Math.Max(total, own);
        }
    }

    /// <summary>Counts one accepted submission from <paramref name="address"/>.</summary>
    public void Record(IPAddress? address)
    {
        var settings = options.CurrentValue.ProofOfWork;
        var now = time.GetUtcNow();
        lock (_lock)
        {
            Sweep(now, settings.Window);
            // Counting beyond the highest level would only make the fall back after a flood take longer.
            _total = _total.Add(now, settings.Window, settings.NormalInTotal * (1 << settings.MaxExtraBits));
            var key = Key(address);
            if (_byAddress.TryGetValue(key, out var count) || _byAddress.Count < MaxAddresses)
            {
                _byAddress[key] = count.Add(now, settings.Window, settings.NormalPerAddress * (1 << settings.MaxExtraBits));
            }
        }
    }

    internal int AddressesFollowed
    {
        get
        {
            lock (_lock)
            {
                return _byAddress.Count;
            }
        }
    }

    /// <summary>
    /// One sender: an IPv4 address, or the /64 network of an IPv6 address (one household or phone is given a whole
    /// /64 and can pick any address in it).
    /// </summary>
    internal static string Key(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            return new IPAddress(bytes) + "/64";
        }

        return address.ToString();
    }

    /// <summary>0 up to the normal count, then one bit per doubling above it.</summary>
    private static int Bits(double count, double normal, int max) =>
        count <= normal || normal <= 0 ? 0 : Math.Min(max, (int)Math.Ceiling(Math.Log2(count / normal)));

    private void Sweep(DateTimeOffset now, TimeSpan window)
    {
        if (now < _nextSweep)
        {
            return;
        }

        _nextSweep = now + window;
        foreach (var (key, count) in _byAddress)
        {
            if (count.At(now, window) < 0.01)
            {
                _byAddress.Remove(key);
            }
        }
    }

    private readonly record struct DecayingCount(double Value, DateTimeOffset Since)
    {
        public double At(DateTimeOffset now, TimeSpan window) =>
            Value == 0 ? 0 : Value * Math.Exp(-Math.Max(0, (now - Since).TotalSeconds) / window.TotalSeconds);

        public DecayingCount Add(DateTimeOffset now, TimeSpan window, double ceiling) => new(Math.Min(ceiling, At(now, window) + 1), now);
    }
}
