/** An orchestration drawn as its DAG, live: nodes coloured by status, edges from dependencies, a click opens the task. */
import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';
import { ErrorNote, StatusBadge } from './common.js';
import { layoutGraph, NODE_HEIGHT, NODE_WIDTH } from './dag-layout.js';
import { cost, firstLine, time } from './format.js';
import { html } from './html.js';
import { subscribe } from './subscribe.js';

const MARGIN = 8;

export function OrchestrationPage({ id }) {
  const [graph, setGraph] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    const reading = new AbortController();
    // Reads can overlap; only the latest one's answer is shown.
    let latest = 0;
    const read = () => {
      const mine = ++latest;
      api(`/api/v1/orchestrations/${id}`, { signal: reading.signal }).then(
        (answer) => mine === latest && setGraph(answer),
        (failure) => !reading.signal.aborted && setError(failure),
      );
    };
    // A change of one of its tasks changes the graph's status and counts too: read it again, whole.
    const unsubscribe = subscribe({ onReady: read, onTask: (task) => task.orchestration_id === id && read() });
    return () => {
      reading.abort();
      unsubscribe();
    };
  }, [id]);
  if (!graph) return html`<${ErrorNote} error=${error} />${error ? null : html`<p class="muted">Loading…</p>`}`;
  return html`<article class="orchestration-page">
    <h1>${graph.name} <${StatusBadge} status=${graph.status} /></h1>
    <p class="muted">
      ${`Orchestration #${graph.id} · ${graph.tasks.length} tasks · failure policy ${graph.failure_policy} · created ${time(graph.created_at)}`}
    </p>
    <p class="orchestration-cost">
      ${
        graph.budget_usd === null
          ? html`Cost <strong>${cost(graph.spent_usd)}</strong>`
          : html`Spent <strong>${cost(graph.spent_usd)}</strong> of ${cost(graph.budget_usd)} budget`
      }
    </p>
    <${ErrorNote} error=${error} />
    <${Dag} tasks=${graph.tasks} />
  </article>`;
}

function Dag({ tasks }) {
  const layout = layoutGraph(tasks);
  const width = layout.width + 2 * MARGIN;
  const height = layout.height + 2 * MARGIN;
  return html`<div class="dag-scroll">
    <svg class="dag" viewBox=${`0 0 ${width} ${height}`} width=${width} height=${height} role="img" aria-label="Task graph">
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto">
          <path d="M0,0 L10,5 L0,10 z" class="arrow-head" />
        </marker>
      </defs>
      <g transform=${`translate(${MARGIN},${MARGIN})`}>
        ${layout.edges.map(({ from, to }) => {
          const x1 = from.x + NODE_WIDTH;
          const y1 = from.y + NODE_HEIGHT / 2;
          const x2 = to.x;
          const y2 = to.y + NODE_HEIGHT / 2;
          const bend = (x2 - x1) / 2;
          return html`<path
            class="edge"
            data-from=${from.task.identifier}
            data-to=${to.task.identifier}
            d=${`M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`}
            marker-end="url(#arrow)"
          />`;
        })}
        ${layout.nodes.map(
          ({ task, x, y }) =>
            html`<a
              href=${`#/tasks/${task.id}`}
              class=${`node status-${task.status}`}
              data-identifier=${task.identifier}
              data-status=${task.status}
              aria-label=${`${task.identifier}: ${task.status}`}
            >
              <title>${firstLine(task.execution_prompt, 200)}</title>
              <rect x=${x} y=${y} width=${NODE_WIDTH} height=${NODE_HEIGHT} rx="6" />
              <text x=${x + 10} y=${y + 18} class="node-name">${firstLine(task.identifier, 18)}</text>
              <text x=${x + 10} y=${y + 34} class="node-status">${task.status} · #${task.id}</text>
            </a>`,
        )}
      </g>
    </svg>
  </div>`;
}

export function OrchestrationList() {
  const [page, setPage] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    api('/api/v1/orchestrations?limit=100').then(setPage, setError);
  }, []);
  return html`<section>
    <h1>Orchestrations</h1>
    <${ErrorNote} error=${error} />
    ${
      page &&
      (page.orchestrations.length === 0
        ? html`<p class="muted">No orchestrations.</p>`
        : html`<ul class="plain-list">
            ${page.orchestrations.map(
              (graph) =>
                html`<li>
                  <a href=${`#/orchestrations/${graph.id}`}>#${graph.id} ${graph.name}</a>
                  <${StatusBadge} status=${graph.status} />
                </li>`,
            )}
          </ul>`)
    }
  </section>`;
}
