namespace Portal.Tests.TestSupport;

/// <summary>The Redis server the test command starts (scripts/test-services.sh exports <c>PORTAL_TEST_REDIS</c>).</summary>
public static class TestRedis
{
    public const string Variable = "PORTAL_TEST_REDIS";

    public static string Server =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } server
            ? server
            : throw new InvalidOperationException(
                $"{Variable} is not set. The scaled-out tests need the PostgreSQL and Redis that ./test.sh starts " +
                "(scripts/test-services.sh); run them through ./test.sh, or source that script and call start_test_services.");
}
