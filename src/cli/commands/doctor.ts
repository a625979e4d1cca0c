/** `claude-worker doctor`: checks this machine's setup and says how to fix what is wrong; exit 1 when a check fails. */
import type { Command } from 'commander';
import { runDoctor, type CheckResult, type CheckStatus } from '../../app/doctor/doctor.js';
import { loadConfig } from '../../core/config.js';
import { VERSION } from '../../version.js';
import type { Style } from '../format.js';
import { print, printJson, stdoutStyle } from '../io.js';

const MARKS: Record<CheckStatus, string> = { ok: 'ok  ', fail: 'FAIL', skip: '-   ' };

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('Check Node.js, Claude Code, credentials, permissions, the database, the server and git; explain each problem')
    .option('--json', 'print the report as JSON ({ ok, version, checks: [{ id, title, status, detail, fix? }] })')
    .action(async (options: { json?: boolean }) => {
      const report = await runDoctor({ config: loadConfig(), env: process.env, uid: process.getuid?.(), version: VERSION });
      if (options.json) printJson(report);
      else print(renderReport(report.checks, stdoutStyle()));
      if (!report.ok) process.exitCode = 1;
    });
}

function renderReport(checks: readonly CheckResult[], style: Style): string {
  const width = Math.max(...checks.map((check) => check.title.length));
  const lines = checks.flatMap((check) => {
    // Coloured like the task statuses they resemble: a failed check red, a passed one green.
    const mark =
      check.status === 'fail'
        ? style.status('failed', MARKS.fail)
        : check.status === 'ok'
          ? style.status('completed', MARKS.ok)
          : style.dim(MARKS[check.status]);
    const line = `${mark} ${check.title.padEnd(width)}  ${check.detail}`;
    return check.fix ? [line, `     ${' '.repeat(width)}  fix: ${check.fix}`] : [line];
  });
  const failed = checks.filter((check) => check.status === 'fail').length;
  lines.push('', failed === 0 ? 'All checks passed.' : `${failed} ${failed === 1 ? 'check' : 'checks'} failed.`);
  return lines.join('\n');
}
