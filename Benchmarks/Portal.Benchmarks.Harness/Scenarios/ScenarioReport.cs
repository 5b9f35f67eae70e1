namespace Portal.Benchmarks.Scenarios;

/// <summary>One section of BENCHMARKS.md: what was measured, the figures, the comparison and how to reproduce it.</summary>
public sealed record ScenarioReport(string Title, string What, string Figures, string Comparison, string Reproduce);
