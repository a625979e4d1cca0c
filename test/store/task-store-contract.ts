/**
 * The behaviour every TaskStore must have, written only against the
 * interface, so each database runs the same suite: call
 * `describeTaskStoreContract` from a test file with a factory that opens a
 * fresh, empty store.
 */
import { afterEach, beforeEach, describe } from 'vitest';
import { describeBudgetContract } from './contract/budgets.js';
import { describeCancelContract } from './contract/cancel.js';
import { describeClaimContract } from './contract/claim.js';
import { describeCompletionContract } from './contract/completions.js';
import { describeEnqueueAndReadContract } from './contract/enqueue-and-read.js';
import { describeEventContract } from './contract/events.js';
import type { TaskStoreFactory, TaskStoreFixture } from './contract/fixture.js';
import { describeLabelContract } from './contract/labels.js';
import { describeLeaseContract } from './contract/leases.js';
import { describeLogContract } from './contract/log-lines.js';
import { describeMaintenanceContract } from './contract/maintenance.js';
import { describeMetricsContract } from './contract/metrics.js';
import { describeOrchestrationContract } from './contract/orchestrations.js';
import { describeQueuePauseContract } from './contract/queue-pause.js';
import { describeSettleContract } from './contract/settle.js';
import { describeSignalContract } from './contract/signals.js';
import { describeUsageContract } from './contract/usage.js';
import { describeWorkerRegistryContract } from './contract/workers.js';
import { describeWorkspaceContract } from './contract/workspaces.js';

export type { TaskStoreFactory, TaskStoreFixture, TestClock } from './contract/fixture.js';

export function describeTaskStoreContract(name: string, factory: TaskStoreFactory): void {
  describe(`TaskStore contract: ${name}`, () => {
    let fixture: TaskStoreFixture | null = null;
    beforeEach(async () => {
      fixture = await factory();
    });
    afterEach(async () => {
      await fixture?.cleanup();
      fixture = null;
    });
    const current = (): TaskStoreFixture => {
      if (!fixture) throw new Error('the store fixture is only available inside a test');
      return fixture;
    };

    describeEnqueueAndReadContract(current);
    describeClaimContract(current);
    describeSettleContract(current);
    describeCompletionContract(current);
    describeLeaseContract(current);
    describeCancelContract(current);
    describeMaintenanceContract(current);
    describeMetricsContract(current);
    describeLogContract(current);
    describeSignalContract(current);
    describeLabelContract(current);
    describeWorkerRegistryContract(current);
    describeOrchestrationContract(current);
    describeWorkspaceContract(current);
    describeBudgetContract(current);
    describeUsageContract(current);
    describeQueuePauseContract(current);
    describeEventContract(current);
  });
}
