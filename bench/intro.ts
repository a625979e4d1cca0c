/** The text above the table in BENCHMARKS.md. */
export const INTRO = `
# Benchmarks

What claude-worker itself costs, measured side by side with the alternatives in one run. Every agent
but those of the warm agents rows is simulated by [bench/fake-agent.sh](bench/fake-agent.sh), an
executable that speaks Claude Code's protocols, sleeps a set time and writes a file, so the numbers
are about claude-worker, not a model. The warm agents rows run the real Claude Code binary against a
loopback stand-in for the Anthropic API, and compare with the Agent SDK alone.
How each figure is measured: [bench/README.md](bench/README.md).

Reproduce on a fresh clone (Node.js 20.19 or newer; PostgreSQL 15 server binaries, \`initdb\` and
\`pg_ctl\`, for the PostgreSQL figures):

\`\`\`bash
npm install
npm run bench          # about 12 minutes on 2 cores; writes this file and bench/results/latest.json
\`\`\`

Each row gives the median and the spread (10th to 90th percentile) over repeated runs, or over
individual requests for latencies. "vs claude-worker" says how many times faster (or leaner)
claude-worker is than the alternative in the same run.
`;
