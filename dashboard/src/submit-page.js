/**
 * Submit a task, or a graph pasted as JSON or YAML. The API judges the
 * input: its field errors are shown next to their fields, all at once.
 */
import { useState } from 'preact/hooks';
import { parse as parseYaml } from 'yaml';
import { api } from './api.js';
import { ErrorNote } from './common.js';
import { html } from './html.js';

const EMPTY = {
  execution_prompt: '',
  working_directory: '',
  model: '',
  isolation: '',
  max_turns: '',
  timeout_seconds: '',
  required_labels: '',
};

export function SubmitPage() {
  return html`<section class="submit-page">
    <h1>Submit</h1>
    <${TaskForm} />
    <${GraphForm} />
  </section>`;
}

function TaskForm() {
  const [values, setValues] = useState(EMPTY);
  const [issues, setIssues] = useState({});
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const set = (name) => (event) => setValues({ ...values, [name]: event.currentTarget.value });
  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setIssues({});
    try {
      const task = await api('/api/v1/tasks', { method: 'POST', body: taskInput(values) });
      location.hash = `#/tasks/${task.id}`;
    } catch (failure) {
      setIssues(issuesByField(failure.issues, Object.keys(EMPTY)));
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  const field = (name, label, input) =>
    html`<div class="field" data-field=${name}>
      <label for=${`task-${name}`}>${label}</label>
      ${input}
      ${(issues[name] ?? []).map(
        (message) => html`<p class="field-error" id=${`task-${name}-error`} role="alert">${message}</p>`,
      )}
    </div>`;
  const attrs = (name) => ({
    id: `task-${name}`,
    name,
    value: values[name],
    onInput: set(name),
    'aria-invalid': issues[name] ? 'true' : undefined,
    'aria-describedby': issues[name] ? `task-${name}-error` : undefined,
  });
  return html`<form class="task-form" onSubmit=${submit} novalidate>
    <h2>A task</h2>
    ${field('execution_prompt', 'Prompt', html`<textarea rows="5" ...${attrs('execution_prompt')}></textarea>`)}
    ${field(
      'working_directory',
      'Directory (absolute path on the server)',
      html`<input type="text" autocomplete="off" ...${attrs('working_directory')} />`,
    )}
    <div class="field-row">
      ${field('model', 'Model', html`<input type="text" placeholder="default" ...${attrs('model')} />`)}
      ${field(
        'isolation',
        'Isolation',
        html`<select ...${attrs('isolation')}>
          <option value="">server default</option>
          <option value="worktree">worktree</option>
          <option value="none">none</option>
        </select>`,
      )}
      ${field('max_turns', 'Max turns', html`<input type="text" inputmode="numeric" ...${attrs('max_turns')} />`)}
      ${field(
        'timeout_seconds',
        'Timeout (seconds)',
        html`<input type="text" inputmode="numeric" ...${attrs('timeout_seconds')} />`,
      )}
    </div>
    ${field(
      'required_labels',
      'Labels (key=value, comma-separated)',
      html`<input type="text" placeholder="gpu=true" ...${attrs('required_labels')} />`,
    )}
    ${issues[''] && html`<${ErrorNote} error=${{ code: 'validation_failed', message: issues[''].join(' ') }} />`}
    ${error && error.issues.length === 0 && html`<${ErrorNote} error=${error} />`}
    <button type="submit" disabled=${busy}>Submit task</button>
  </form>`;
}

function GraphForm() {
  const [text, setText] = useState('');
  const [problems, setProblems] = useState([]);
  const submit = async (event) => {
    event.preventDefault();
    setProblems([]);
    let input;
    try {
      // YAML is a superset of JSON: one parser reads both.
      input = parseYaml(text);
    } catch (failure) {
      setProblems([`graph: not valid JSON or YAML: ${failure.message}`]);
      return;
    }
    try {
      const graph = await api('/api/v1/orchestrations', { method: 'POST', body: input });
      location.hash = `#/orchestrations/${graph.id}`;
    } catch (failure) {
      setProblems(
        failure.issues.length > 0 ? failure.issues.map((issue) => `${issue.field}: ${issue.message}`) : [failure.message],
      );
    }
  };
  return html`<form class="graph-form" onSubmit=${submit} novalidate>
    <h2>A graph</h2>
    <div class="field" data-field="graph">
      <label for="graph-text">Orchestration as JSON or YAML (working directories absolute)</label>
      <textarea id="graph-text" rows="10" value=${text} onInput=${(event) => setText(event.currentTarget.value)}></textarea>
      ${problems.map((message) => html`<p class="field-error" role="alert">${message}</p>`)}
    </div>
    <button type="submit" disabled=${!text.trim()}>Submit graph</button>
  </form>`;
}

/** The form's values as the API's input: blanks left out, numbers as numbers, labels as an object. */
export function taskInput(values) {
  const input = {};
  for (const [name, value] of Object.entries(values)) {
    const text = value.trim();
    if (text === '' && name !== 'execution_prompt' && name !== 'working_directory') continue;
    if (name === 'max_turns' || name === 'timeout_seconds') input[name] = /^\d+$/.test(text) ? Number(text) : text;
    else if (name === 'required_labels') input[name] = parseLabels(text);
    else input[name] = name === 'execution_prompt' ? value : text;
  }
  return input;
}

/** `a=1, b=2` → { a: '1', b: '2' }; an entry without `=` is sent with an empty value for the API to judge. */
function parseLabels(text) {
  return Object.fromEntries(
    text
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean)
      .map((entry) => {
        const at = entry.indexOf('=');
        return at < 0 ? [entry, ''] : [entry.slice(0, at).trim(), entry.slice(at + 1).trim()];
      }),
  );
}

/** Issues grouped by the form field they name (`required_labels.gpu` → required_labels); '' for the rest. */
function issuesByField(issues, fields) {
  const grouped = {};
  for (const issue of issues) {
    const field = fields.find((name) => issue.field === name || issue.field.startsWith(`${name}.`)) ?? '';
    (grouped[field] ??= []).push(field === '' ? `${issue.field}: ${issue.message}` : issue.message);
  }
  return grouped;
}
