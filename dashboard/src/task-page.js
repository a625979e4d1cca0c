/**
 * One task: what it was asked, how it went, its log live, its summary, its
 * diff, and the actions on it (each with the CLI command that does the same).
 */
import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';
import { CliCommand, ErrorNote, StatusBadge } from './common.js';
import { DiffView } from './diff.js';
import { cost, duration, elapsed, shellWord, TERMINAL, time } from './format.js';
import { html } from './html.js';
import { markdownToSafeHtml } from './markdown.js';
import { readEventStream } from './sse.js';
import { subscribe } from './subscribe.js';

export function TaskPage({ id }) {
  const [task, setTask] = useState(null);
  const [error, setError] = useState(null);

  useEffect(() => {
    const reading = new AbortController();
    const read = () =>
      api(`/api/v1/tasks/${id}`, { signal: reading.signal }).then(setTask, (failure) => {
        if (!reading.signal.aborted) setError(failure);
      });
    const unsubscribe = subscribe({ onReady: read, onTask: (changed) => changed.id === id && setTask(changed) });
    return () => {
      reading.abort();
      unsubscribe();
    };
  }, [id]);

  if (task === null) return html`<${ErrorNote} error=${error} />${error ? null : html`<p class="muted">Loading…</p>`}`;
  const ended = TERMINAL.has(task.status);
  return html`<article class="task-page">
    <h1>Task #${task.id} <${StatusBadge} status=${task.status} /></h1>
    <${ErrorNote} error=${error} />
    ${
      task.error_code && html`<p class="error" role="status"><strong>${task.error_code}</strong>: ${task.error_message ?? ''}</p>`
    }
    <${Actions} task=${task} onChanged=${setTask} />
    <h2>Prompt</h2>
    <pre class="prompt-text">${task.execution_prompt}</pre>
    <${Facts} task=${task} />
    <h2>Log</h2>
    <${LiveLog} id=${task.id} />
    ${
      task.final_summary &&
      html`<h2>Summary</h2>
        <div class="summary" dangerouslySetInnerHTML=${{ __html: markdownToSafeHtml(task.final_summary) }}></div>`
    }
    ${
      task.isolation === 'worktree' &&
      task.branch &&
      ended &&
      html`<h2>Changes</h2>
        <${TaskDiff} id=${task.id} />`
    }
  </article>`;
}

function Facts({ task }) {
  const usage = task.usage;
  const rows = [
    ['Directory', task.working_directory],
    ['Isolation', task.isolation],
    ['Branch', task.branch],
    ['Model', task.model ?? 'default'],
    ['Permission mode', task.permission_mode],
    ['Max turns', task.max_turns],
    ['Timeout', `${task.timeout_seconds}s`],
    [
      'Labels',
      Object.entries(task.required_labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(', '),
    ],
    [
      'Orchestration',
      task.orchestration_id &&
        html`<a href=${`#/orchestrations/${task.orchestration_id}`}>#${task.orchestration_id}</a> ${task.identifier}`,
    ],
    ['Continues', task.continues && html`<a href=${`#/tasks/${task.continues}`}>#${task.continues}</a>`],
    ['Created', time(task.created_at)],
    ['Started', time(task.started_at)],
    ['Ended', time(task.ended_at)],
    ['Elapsed', duration(elapsed(task))],
    ['Attempts', `${task.attempts} of ${task.max_attempts}`],
    ['Cost', cost(task.cost_usd)],
    ['Turns', task.num_turns],
    ['Tokens', usage && `${usage.input_tokens} in · ${usage.output_tokens} out · ${usage.cache_read_input_tokens} cache read`],
  ];
  return html`<dl class="facts">
    ${rows
      .filter(([, value]) => value !== null && value !== undefined && value !== '')
      .map(
        ([name, value]) =>
          html`<div>
            <dt>${name}</dt>
            <dd>${value}</dd>
          </div>`,
      )}
  </dl>`;
}

/** The summary log: what is there, then new lines as the task writes them (logs?follow=1). */
function LiveLog({ id }) {
  const [lines, setLines] = useState([]);
  const [error, setError] = useState(null);
  useEffect(() => {
    const stop = new AbortController();
    setLines([]);
    readEventStream(
      `/api/v1/tasks/${id}/logs?follow=1`,
      ({ event, data }) => {
        if (event === 'message') setLines((current) => [...current, data]);
        else if (event === 'error') setError(JSON.parse(data).error);
      },
      stop.signal,
    ).catch(setError);
    return () => stop.abort();
  }, [id]);
  return html`<${ErrorNote} error=${error} />
    <pre class="log" aria-live="polite" data-testid="log">
${lines.map((line) => html`<span class="log-line">${`${line}\n`}</span>`)}</pre>`;
}

function TaskDiff({ id }) {
  const [diff, setDiff] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    Promise.all([api(`/api/v1/tasks/${id}/diff?stat=1`), api(`/api/v1/tasks/${id}/diff`, { text: true })]).then(
      ([stat, text]) => setDiff({ stat, text }),
      setError,
    );
  }, [id]);
  if (error) return html`<${ErrorNote} error=${error} />`;
  if (!diff) return html`<p class="muted">Loading the diff…</p>`;
  if (diff.stat.files.length === 0) return html`<p class="muted">No changes.</p>`;
  return html`<${DiffView} stat=${diff.stat} text=${diff.text} />`;
}

function Actions({ task, onChanged }) {
  const [error, setError] = useState(null);
  const [outcome, setOutcome] = useState(null);
  const [message, setMessage] = useState('');
  const ended = TERMINAL.has(task.status);
  const act = (label, path, body) => async () => {
    setError(null);
    setOutcome(null);
    try {
      const answer = await api(`/api/v1/tasks/${task.id}/${path}`, { method: 'POST', body });
      if (answer.task) onChanged(answer.task);
      else if (answer.id === task.id) onChanged(answer);
      setOutcome({ label, answer });
    } catch (failure) {
      setError(failure);
    }
  };
  const worktree = task.isolation === 'worktree' && task.branch;
  return html`<section class="actions" aria-label="Actions">
    ${
      !ended &&
      html`<div class="action">
        <button type="button" class="danger" onClick=${act('Cancel requested', 'cancel', {})}>Cancel</button>
        <${CliCommand} command=${`claude-worker cancel ${task.id}`} />
      </div>`
    }
    ${
      ended &&
      task.status !== 'skipped' &&
      html`<form
        class="action"
        onSubmit=${(event) => {
          event.preventDefault();
          void act('Follow-up submitted', 'continue', { message })();
        }}
      >
        <label
          >Continue with
          <textarea rows="2" value=${message} onInput=${(event) => setMessage(event.currentTarget.value)}></textarea>
        </label>
        <button type="submit" disabled=${!message.trim()}>Continue</button>
        <${CliCommand} command=${`claude-worker continue ${task.id} ${shellWord(message || '<message>')}`} />
      </form>`
    }
    ${
      ended &&
      worktree &&
      html`<div class="action">
          <button type="button" onClick=${act('Merged', 'merge', {})}>Merge</button>
          <${CliCommand} command=${`claude-worker merge ${task.id}`} />
        </div>
        <div class="action">
          <button type="button" class="danger" onClick=${act('Discarded', 'discard', {})}>Discard</button>
          <${CliCommand} command=${`claude-worker discard ${task.id}`} />
        </div>`
    }
    <${ErrorNote} error=${error} />
    ${outcome && html`<p class="ok" role="status">${outcome.label}${followUpLink(outcome.answer, task.id)}</p>`}
  </section>`;
}

function followUpLink(answer, id) {
  if (answer.id === undefined || answer.id === id) return null;
  return html`: <a href=${`#/tasks/${answer.id}`}>task #${answer.id}</a>`;
}
