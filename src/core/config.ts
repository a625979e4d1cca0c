/**
 * The one place where settings are read: environment variables, with the
 * command line's flags laid over them as overrides. Server, CLI, runner and
 * MCP all resolve their settings here, so they agree on the database, the
 * log directory and the server URL.
 */
import { homedir, hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { ValidationError } from './errors.js';
import { parseLabelList, type Labels } from './labels.js';
import { ISOLATION_MODES, PERMISSION_MODES, type Isolation, type PermissionMode } from './task.js';

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8000';
export const DEFAULT_RETRY_BACKOFF_MS = 10_000;
export const DEFAULT_LIMIT_BACKOFF_MS = 30_000;

export interface Config {
  /** Directory for the database, logs and the daemon's pid file. */
  home: string;
  /** SQLite file path, or a postgres:// URL. */
  dbPath: string;
  logDir: string;
  serverUrl: string;
  /** Bearer token; required when the server binds a non-loopback address. */
  token: string | null;
  /** Host header names the server accepts besides loopback and its bind address (e.g. behind a reverse proxy). */
  allowedHosts: string[];
  concurrency: number;
  permissionMode: PermissionMode;
  defaultTimeoutSeconds: number;
  /** Attempts a task gets: when its runner dies under it, or the API fails in a way worth retrying (500, 529, network). */
  maxAttempts: number;
  /** The first backoff of a retry after a transient failure; it doubles with each attempt, up to 10 min. */
  retryBackoffMs: number;
  /** How long the queue waits after a usage limit that names no reset time; it doubles with each hit, up to 15 min. */
  limitBackoffMs: number;
  /** The most all tasks on the database may cost per UTC day before claiming pauses until midnight; null: no cap. */
  dailyBudgetUsd: number | null;
  /** How long a claim is valid without a heartbeat. */
  leaseMs: number;
  heartbeatMs: number;
  /** How often the reaper looks for expired leases. */
  reapIntervalMs: number;
  /** Claude Code executable to run instead of the one bundled with the Agent SDK. */
  claudeExecutable: string | null;
  /** Claude Code processes kept started ahead of their tasks, at most `concurrency` (0: each task starts its own). */
  warmAgents: number;
  /** What this node's runner offers; it claims only tasks whose required labels it has. */
  labels: Labels;
  /** How this node's runner is listed among the workers. */
  workerName: string;
  /** On SIGTERM, how long running tasks may go on before they are released to the queue (0: at once). */
  drainTimeoutSeconds: number;
  /** Completed, cancelled and skipped tasks are deleted this many days after they ended (0: kept for ever). */
  retentionDays: number;
  /** Failed tasks are deleted this many days after they ended (0: kept for ever); longer: they get looked at. */
  failedRetentionDays: number;
  /** How strictly the MCP server checks the tasks a planner creates. */
  promptPolicy: PromptPolicy;
  /** Where the MCP server's tasks go; null: proxy when a server answers, else standalone. */
  mcpMode: McpMode | null;
  /** A task's isolation when its submitter names none; null: a worktree wherever the directory is in a git repository with a commit. */
  isolation: Isolation | null;
  /** Where task worktrees go, one directory per repository beneath it: outside every repository, so tools scanning one do not see them. */
  worktreesDir: string;
  /** Receives a webhook for every event that ends work or needs attention, besides each task's own `webhook_url`. */
  webhookUrl: string | null;
  /** Key of the HMAC-SHA256 signature of every webhook; null: webhooks go unsigned. */
  webhookSecret: string | null;
  /** The first retry of a failed webhook delivery waits this long; each next one twice as long. */
  webhookRetryMs: number;
}

export const PROMPT_POLICIES = ['strict', 'lenient'] as const;
export type PromptPolicy = (typeof PROMPT_POLICIES)[number];

export const MCP_MODES = ['standalone', 'proxy'] as const;
export type McpMode = (typeof MCP_MODES)[number];

/** Settings the command line gives as flags; each wins over its environment variable. Undefined: not given. */
export type ConfigOverrides = Partial<
  Pick<Config, 'dbPath' | 'concurrency' | 'workerName' | 'labels' | 'drainTimeoutSeconds' | 'permissionMode'>
>;

type Env = Readonly<Record<string, string | undefined>>;

export function loadConfig(env: Env = process.env, overrides: ConfigOverrides = {}): Config {
  const problems: { field: string; message: string }[] = [];
  const int = (name: string, fallback: number, min: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) {
      problems.push({ field: name, message: `must be an integer >= ${min} (got "${raw}")` });
      return fallback;
    }
    return value;
  };

  const oneOf = <T extends string, D extends T | null>(name: string, allowed: readonly T[], fallback: D): T | D => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    problems.push({ field: name, message: `must be one of ${allowed.join(', ')} (got "${raw}")` });
    return fallback;
  };

  const positiveNumber = (name: string): number | null => {
    const raw = env[name];
    if (raw === undefined || raw === '') return null;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) {
      problems.push({ field: name, message: `must be a number of US dollars above 0 (got "${raw}")` });
      return null;
    }
    return value;
  };

  const home = resolve(expandHome(env.CLAUDE_WORKER_HOME || join(homedir(), '.claude-worker')));
  const permissionMode = (env.CLAUDE_WORKER_PERMISSION_MODE || 'bypassPermissions') as PermissionMode;
  if (!PERMISSION_MODES.includes(permissionMode)) {
    problems.push({
      field: 'CLAUDE_WORKER_PERMISSION_MODE',
      message: `must be one of ${PERMISSION_MODES.join(', ')} (got "${permissionMode}")`,
    });
  }
  const heartbeatMs = int('CLAUDE_WORKER_HEARTBEAT_MS', 15_000, 100);
  let labels: Labels = {};
  try {
    labels = parseLabelList(env.CLAUDE_WORKER_LABELS ?? '', 'CLAUDE_WORKER_LABELS');
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    problems.push(...error.issues);
  }
  const serverUrl = (env.CLAUDE_WORKER_SERVER_URL || DEFAULT_SERVER_URL).replace(/\/+$/, '');
  const serverUrlProblem = httpUrlProblem(serverUrl);
  if (serverUrlProblem !== null) problems.push({ field: 'CLAUDE_WORKER_SERVER_URL', message: serverUrlProblem });
  const webhookUrl = env.CLAUDE_WORKER_WEBHOOK_URL || null;
  const webhookUrlProblem = webhookUrl === null ? null : httpUrlProblem(webhookUrl);
  if (webhookUrlProblem !== null) problems.push({ field: 'CLAUDE_WORKER_WEBHOOK_URL', message: webhookUrlProblem });
  const config: Config = {
    home,
    dbPath: databaseSpec(env.CLAUDE_WORKER_DB || join(home, 'tasks.db')),
    logDir: resolve(expandHome(env.CLAUDE_WORKER_LOG_DIR || join(home, 'logs'))),
    serverUrl,
    token: env.CLAUDE_WORKER_TOKEN || null,
    allowedHosts: (env.CLAUDE_WORKER_ALLOWED_HOSTS ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter((name) => name !== ''),
    // CLAUDE_WORKER_MAX_WORKERS is the old name: "worker" now means a node.
    concurrency: env.CLAUDE_WORKER_CONCURRENCY ? int('CLAUDE_WORKER_CONCURRENCY', 4, 1) : int('CLAUDE_WORKER_MAX_WORKERS', 4, 1),
    permissionMode,
    defaultTimeoutSeconds: int('CLAUDE_WORKER_TASK_TIMEOUT', 3600, 1),
    maxAttempts: int('CLAUDE_WORKER_MAX_ATTEMPTS', 3, 1),
    retryBackoffMs: int('CLAUDE_WORKER_RETRY_BACKOFF_MS', DEFAULT_RETRY_BACKOFF_MS, 1),
    limitBackoffMs: int('CLAUDE_WORKER_LIMIT_BACKOFF_MS', DEFAULT_LIMIT_BACKOFF_MS, 1),
    dailyBudgetUsd: positiveNumber('CLAUDE_WORKER_DAILY_BUDGET_USD'),
    leaseMs: int('CLAUDE_WORKER_LEASE_MS', 60_000, 300),
    heartbeatMs,
    reapIntervalMs: int('CLAUDE_WORKER_REAP_INTERVAL_MS', 15_000, 100),
    claudeExecutable: env.CLAUDE_WORKER_CLAUDE_PATH || null,
    warmAgents: int('CLAUDE_WORKER_WARM_AGENTS', 1, 0),
    labels,
    workerName: env.CLAUDE_WORKER_NAME?.trim() || hostname(),
    drainTimeoutSeconds: int('CLAUDE_WORKER_DRAIN_TIMEOUT', 0, 0),
    retentionDays: int('CLAUDE_WORKER_RETENTION_DAYS', 30, 0),
    failedRetentionDays: int('CLAUDE_WORKER_FAILED_RETENTION_DAYS', 90, 0),
    promptPolicy: oneOf('CLAUDE_WORKER_PROMPT_POLICY', PROMPT_POLICIES, 'strict'),
    mcpMode: oneOf('CLAUDE_WORKER_MODE', MCP_MODES, null),
    isolation: oneOf('CLAUDE_WORKER_ISOLATION', ISOLATION_MODES, null),
    worktreesDir: resolve(expandHome(env.CLAUDE_WORKER_WORKTREES_DIR || join(home, 'worktrees'))),
    webhookUrl,
    webhookSecret: env.CLAUDE_WORKER_WEBHOOK_SECRET || null,
    webhookRetryMs: int('CLAUDE_WORKER_WEBHOOK_RETRY_MS', 10_000, 10),
    ...definedOnly(overrides),
  };
  if (overrides.dbPath !== undefined) config.dbPath = databaseSpec(overrides.dbPath);
  if (config.heartbeatMs * 2 > config.leaseMs) {
    problems.push({
      field: 'CLAUDE_WORKER_HEARTBEAT_MS',
      message: `must be at most half of CLAUDE_WORKER_LEASE_MS (${config.leaseMs}) so a lease survives one missed beat`,
    });
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return config;
}

/** The overrides that were given: an undefined flag leaves the environment's value. */
function definedOnly(overrides: ConfigOverrides): ConfigOverrides {
  return Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
}

/** What is wrong with a server URL (named by whoever reports it), or null when it is an http(s) URL. */
export function httpUrlProblem(value: string): string | null {
  const protocol = URL.canParse(value) ? new URL(value).protocol : null;
  return protocol === 'http:' || protocol === 'https:'
    ? null
    : `must be an http(s) URL such as ${DEFAULT_SERVER_URL} (got "${value}")`;
}

/** Whether a database spec (`CLAUDE_WORKER_DB`) names a PostgreSQL server rather than a SQLite file. */
export function isPostgresUrl(dbSpec: string): boolean {
  return /^postgres(ql)?:\/\//i.test(dbSpec);
}

/** The database spec fit for a log line: a PostgreSQL URL without its password. */
export function describeDatabase(dbSpec: string): string {
  if (!isPostgresUrl(dbSpec)) return dbSpec;
  const url = new URL(dbSpec);
  if (url.password) url.password = '***';
  return url.toString();
}

/** A SQLite file path (made absolute) or a PostgreSQL URL (kept as it is). */
function databaseSpec(spec: string): string {
  return isPostgresUrl(spec) ? spec : resolve(expandHome(spec));
}

function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path;
}

/** `[::1]`, as copied from a URL, and `::1` name the same address; `listen()` and comparisons take the bare form. */
export function bareHost(host: string): string {
  return host.replace(/^\[(.*)\]$/, '$1');
}

/** True for addresses that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = bareHost(host).toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}
