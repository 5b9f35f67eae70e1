namespace Portal.Tests.TestSupport;

/// <summary>Certificates made on the spot with the distribution's openssl, as an operator would for a test server.</summary>
public static class OpenSsl
{
    /// <summary>A self-signed TLS certificate for <paramref name="host"/>: PEM certificate and key files.</summary>
    public static async Task<(string Certificate, string Key)> SelfSignedAsync(string folder, string host)
    {
        var certificate = Path.Combine(folder, host + ".crt");
        var key = Path.Combine(folder, host + ".key");
        await RunAsync(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=" + host, "-addext", $"subjectAltName=DNS:{host},IP:127.0.0.1", "-keyout", key, "-out", certificate]);
        return (certificate, key);
    }

    /// <summary>A PFX (certificate and private key) protected by <paramref name="password"/>, like the key-ring certificate.</summary>
    public static async Task<string> PfxAsync(string folder, string name, string password)
    {
        var (certificate, key) = await SelfSignedAsync(folder, name);
        var pfx = Path.Combine(folder, name + ".pfx");
        await RunAsync(["pkcs12", "-export", "-in", certificate, "-inkey", key, "-out", pfx, "-passout", "pass:" + password]);
        return pfx;
    }

    private static async Task RunAsync(string[] arguments)
    {
        var result = await ProcessRun.RunAsync("openssl", arguments, timeout: TimeSpan.FromMinutes(1));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("openssl failed (install the distribution's openssl): " + result);
        }
    }
}
