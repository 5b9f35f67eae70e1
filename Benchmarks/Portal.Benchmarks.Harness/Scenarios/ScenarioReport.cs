namespace Portal.Benchmarks.Scenarios;

/// <summary>
/// One scenario's report. <see cref="Summary"/> is its section of BENCHMARKS.md; <see cref="What"/> (the method),
/// <see cref="Figures"/> (every table) and <see cref="Comparison"/> (ratios, query plans, where the time goes) make up
/// its detail file, which BENCHMARKS.md links to.
/// </summary>
public sealed record ScenarioReport(string Title, ScenarioSummary Summary, string What, string Figures, string Comparison, string Reproduce);

/// <summary>What a reader takes in at a glance: the goal, a few headline figures (a short table) and the verdict.</summary>
public sealed record ScenarioSummary(string Goal, string Figures, string Verdict);
