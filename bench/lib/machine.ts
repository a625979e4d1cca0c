/** What the numbers were measured on: they mean little without it. */
import { cpus, totalmem, release, platform } from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  memory_gib: number;
  os: string;
  node: string;
}

export function describeMachine(): Machine {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    memory_gib: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.version,
  };
}
