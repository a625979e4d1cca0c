/** The runner processes sharing this database: state, running of capacity, labels, heartbeat age. */
import { useEffect, useState } from 'preact/hooks';
import { api } from './api.js';
import { ErrorNote } from './common.js';
import { html } from './html.js';
import { QueuePauseNote } from './queue-pause.js';
import { subscribe } from './subscribe.js';

export function WorkersPage() {
  const [list, setList] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    const read = () => api('/api/v1/workers').then(setList, setError);
    // A task that starts or ends changes a worker's running count; the queue's events its pause.
    return subscribe({ onReady: read, onTask: read, onQueue: read });
  }, []);
  return html`<section>
    <h1>Workers</h1>
    <${QueuePauseNote} pause=${list?.queue_pause} />
    <${ErrorNote} error=${error} />
    ${
      list &&
      (list.workers.length === 0
        ? html`<p class="muted">No workers have registered.</p>`
        : html`<table class="workers">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">State</th>
                <th scope="col">Running</th>
                <th scope="col">Labels</th>
                <th scope="col">Heartbeat</th>
                <th scope="col">Host · pid</th>
              </tr>
            </thead>
            <tbody>
              ${list.workers.map(
                (worker) =>
                  html`<tr data-worker-id=${worker.id}>
                    <td data-label="Name">${worker.name}</td>
                    <td data-label="State"><span class=${`status worker-${worker.state}`}>${worker.state}</span></td>
                    <td data-label="Running">${worker.running} of ${worker.capacity}</td>
                    <td data-label="Labels">
                      ${
                        Object.entries(worker.labels)
                          .map(([k, v]) => `${k}=${v}`)
                          .join(', ') || '–'
                      }
                    </td>
                    <td data-label="Heartbeat">${Math.round(worker.heartbeat_age_seconds)}s ago</td>
                    <td data-label="Host">${worker.host} · ${worker.pid}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`)
    }
  </section>`;
}
