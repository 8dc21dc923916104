"""Developer tools (synthetic data for benchmarks and tests); not used by the `briefing` command."""
