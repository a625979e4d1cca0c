/**
 * The Dockerfile and compose.yaml, checked without a container engine: the
 * commands they run are valid claude-worker command lines (parsed by the
 * CLI's own program), and the settings they rely on are there. Building and
 * running the image is a manual step (see the README's Operate section).
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { everyCommand } from '../../src/cli/command-table.js';
import { buildProgram } from '../../src/cli/program.js';

const ROOT = new URL('../../', import.meta.url).pathname;

interface Service {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string | null>;
  volumes?: string[];
  healthcheck?: { disable?: boolean; test?: string[] };
  hostname?: string;
  depends_on?: Record<string, { condition: string }>;
}

const compose = parse(readFileSync(`${ROOT}compose.yaml`, 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const dockerfile = readFileSync(`${ROOT}Dockerfile`, 'utf8').replace(/\\\n/g, ' ');

const PROGRAM = buildProgram(await everyCommand());

/** Fails unless `args` name a claude-worker command and every flag is one of its own; returns that command. */
function parseCommandLine(args: readonly string[]): Command {
  let command: Command = PROGRAM;
  let rest = [...args];
  for (;;) {
    const sub = command.commands.find((candidate) => candidate.name() === rest[0]);
    if (!sub) break;
    command = sub;
    rest = rest.slice(1);
  }
  expect(command.name(), `a command in ${args.join(' ')}`).not.toBe('claude-worker');
  const { operands, unknown } = command.parseOptions(rest);
  expect(unknown, `flags of ${command.name()}`).toEqual([]);
  expect(operands).toEqual([]);
  return command;
}

/** The JSON array of a Dockerfile instruction (CMD, ENTRYPOINT, HEALTHCHECK ... CMD). */
function instruction(name: string): string {
  const line = dockerfile.split('\n').filter((l) => l.startsWith(`${name} `));
  expect(line.length, `one ${name} in the runtime stage`).toBeGreaterThan(0);
  return line
    .at(-1)!
    .slice(name.length + 1)
    .trim();
}

describe('Dockerfile', () => {
  it('builds in one stage and runs from another, as a user that is not root', () => {
    expect(dockerfile.match(/^FROM /gm)!.length).toBe(2);
    expect(dockerfile).toMatch(/^FROM \$\{NODE_IMAGE\} AS build$/m);
    expect(dockerfile).toMatch(/COPY --from=build \/build\/dist/);
    const user = instruction('USER');
    expect(user).not.toMatch(/^(root|0)$/);
    expect(dockerfile).toMatch(new RegExp(`useradd [^\n]* ${user} `));
  });

  it('keeps its data in /data and checks /health', () => {
    expect(instruction('VOLUME')).toBe('/data');
    expect(dockerfile).toMatch(/CLAUDE_WORKER_HOME=\/data/);
    expect(instruction('HEALTHCHECK')).toMatch(/CMD \[.*http:\/\/127\.0\.0\.1:8000\/health/);
  });

  it('starts a valid claude-worker command line', () => {
    expect(JSON.parse(instruction('ENTRYPOINT'))).toEqual(['tini', '--', 'claude-worker']);
    const cmd = JSON.parse(instruction('CMD')) as string[];
    expect(parseCommandLine(cmd).name()).toBe('start');
    expect(cmd).toEqual(expect.arrayContaining(['--foreground', '--port', '8000']));
  });
});

describe('compose.yaml', () => {
  const { services } = compose;
  const nodes = ['server', 'worker-1', 'worker-2'];

  it('starts PostgreSQL, one server and two workers', () => {
    expect(Object.keys(services).sort()).toEqual(['postgres', 'server', 'worker-1', 'worker-2']);
    for (const name of nodes) expect(services[name]!.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
  });

  it('runs valid command lines: the API without a runner, and two workers with names of their own', () => {
    expect(parseCommandLine(services.server!.command!).name()).toBe('start');
    expect(services.server!.command).toEqual(expect.arrayContaining(['--no-worker', '--foreground', '--port', '8000']));
    const names = ['worker-1', 'worker-2'].map((name) => {
      const command = services[name]!.command!;
      expect(parseCommandLine(command).name()).toBe('worker');
      expect(services[name]!.healthcheck).toEqual({ disable: true });
      expect(services[name]!.hostname).toBe(name);
      return command[command.indexOf('--name') + 1];
    });
    expect(names).toEqual(['worker-1', 'worker-2']);
  });

  it('points every node at the PostgreSQL service, with a token, and the same projects path', () => {
    const postgres = services.postgres!.environment!;
    for (const name of nodes) {
      const env = services[name]!.environment!;
      const db = new URL(env.CLAUDE_WORKER_DB!.replace(/\$\{POSTGRES_PASSWORD:-([^}]*)\}/, '$1'));
      expect(db.protocol).toBe('postgres:');
      expect(db.hostname).toBe('postgres');
      expect(db.username).toBe(postgres.POSTGRES_USER);
      expect(db.password).toBe(postgres.POSTGRES_PASSWORD!.replace(/\$\{POSTGRES_PASSWORD:-([^}]*)\}/, '$1'));
      expect(db.pathname).toBe(`/${postgres.POSTGRES_DB}`);
      // Binding 0.0.0.0 without a token is refused; compose refuses to start without one.
      expect(env.CLAUDE_WORKER_TOKEN).toMatch(/^\$\{CLAUDE_WORKER_TOKEN:\?/);
      expect(env).toHaveProperty('ANTHROPIC_API_KEY', null);
      expect(services[name]!.volumes).toContain('${CLAUDE_WORKER_PROJECTS:-./projects}:/projects');
      expect(services[name]!.volumes!.some((volume) => volume.endsWith(':/data'))).toBe(true);
    }
  });
});
