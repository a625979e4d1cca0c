/** One readable line per step, for the summary log and `last_action_cache`. */
import { describe, expect, it } from 'vitest';
import { describeMessage } from '../../src/agents/claude-code/activity.js';
import type { ClaudeMessage } from '../../src/agents/claude-code/messages.js';

const CWD = '/home/dev/project';

function toolUse(name: string, input: Record<string, unknown>): ClaudeMessage {
  return { type: 'assistant', message: { content: [{ type: 'tool_use', name, input }] } };
}

function lineOf(message: ClaudeMessage): string | undefined {
  return describeMessage(message, CWD)[0]?.line;
}

describe('activity lines', () => {
  it('names the tool and its target, and makes that the last action', () => {
    expect(describeMessage(toolUse('Write', { file_path: `${CWD}/src/auth.ts`, content: '...' }), CWD)).toEqual([
      { line: '[Write] src/auth.ts', lastAction: '[Write] src/auth.ts' },
    ]);
    expect(lineOf(toolUse('Read', { file_path: '/etc/hosts' }))).toBe('[Read] /etc/hosts'); // outside the task: absolute
    expect(lineOf(toolUse('Edit', { file_path: `${CWD}-other/a.ts` }))).toBe(`[Edit] ${CWD}-other/a.ts`); // a sibling is not inside
    expect(lineOf(toolUse('NotebookEdit', { notebook_path: `${CWD}/nb.ipynb` }))).toBe('[NotebookEdit] nb.ipynb');
    expect(lineOf(toolUse('Glob', { pattern: '**/*.ts' }))).toBe('[Glob] **/*.ts');
    expect(lineOf(toolUse('Grep', { pattern: 'TODO', path: CWD }))).toBe('[Grep] TODO');
    expect(lineOf(toolUse('WebFetch', { url: 'https://example.com/a', prompt: 'read' }))).toBe(
      '[WebFetch] https://example.com/a',
    );
  });

  it('shows the first line of a Bash command, truncated', () => {
    expect(lineOf(toolUse('Bash', { command: 'npm test\necho done' }))).toBe('[Bash] npm test');
    const long = lineOf(toolUse('Bash', { command: `echo ${'x'.repeat(500)}` }))!;
    expect(long.length).toBeLessThanOrEqual('[Bash] '.length + 200);
    expect(long.endsWith('…')).toBe(true);
  });

  it('shows other tools with a short JSON of their input', () => {
    expect(lineOf(toolUse('mcp__db__query', { sql: 'select 1' }))).toBe('[mcp__db__query] {"sql":"select 1"}');
    expect(
      lineOf(toolUse('TodoWrite', { todos: Array.from({ length: 50 }, (_, i) => ({ content: `step ${i}` })) }))!.length,
    ).toBeLessThanOrEqual('[TodoWrite] '.length + 200);
  });

  it("quotes the agent's text on one line, first 200 characters, without making it the last action", () => {
    const text: ClaudeMessage = {
      type: 'assistant',
      message: { content: [{ type: 'text', text: `  I will\nrefactor ${'y'.repeat(300)}` }] },
    };
    const [activity] = describeMessage(text, CWD);
    expect(activity!.line.startsWith('[assistant] I will refactor yyy')).toBe(true);
    expect(activity!.line.length).toBe('[assistant] '.length + 200);
    expect(activity!.lastAction).toBeUndefined();
  });

  it('reports the start with model, permission mode and credential source', () => {
    const init: ClaudeMessage = {
      type: 'system',
      subtype: 'init',
      session_id: 's-1',
      model: 'claude-x',
      permissionMode: 'acceptEdits',
      apiKeySource: 'none',
    };
    expect(describeMessage(init, CWD)).toEqual([
      { line: '[init] model=claude-x, permission=acceptEdits, credentials=none', sessionId: 's-1', apiKeySource: 'none' },
    ]);
  });

  it('reports the result: success with turns and cost, or the error and its text', () => {
    expect(lineOf({ type: 'result', subtype: 'success', is_error: false, num_turns: 2, total_cost_usd: 0.00088 })).toBe(
      '[result] success in 2 turns, $0.0009',
    );
    expect(
      lineOf({
        type: 'result',
        subtype: 'error_max_turns',
        is_error: true,
        num_turns: 1,
        errors: ['Reached maximum number of turns (1)'],
      }),
    ).toBe('[result] error_max_turns in 1 turn: Reached maximum number of turns (1)');
    expect(
      lineOf({ type: 'result', subtype: 'success', is_error: true, num_turns: 1, total_cost_usd: 0, result: 'Invalid API key' }),
    ).toBe('[result] error in 1 turn, $0.0000: Invalid API key');
  });

  it('reports API retries and ignores frames it does not know', () => {
    expect(lineOf({ type: 'system', subtype: 'api_retry', attempt: 1, max_retries: 10, error_status: 529 })).toBe(
      '[retry] API request failed (529); attempt 1 of 10',
    );
    expect(describeMessage({ type: 'stream_event' }, CWD)).toEqual([]);
    expect(describeMessage({ type: 'system', subtype: 'session_state_changed' }, CWD)).toEqual([]);
    expect(describeMessage({ type: 'user', message: { content: [{ type: 'tool_result' }] } }, CWD)).toEqual([]);
  });
});
