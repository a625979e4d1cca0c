/**
 * The rules of a task graph that no field schema can check: identifiers are
 * unique, every dependency names a task of the graph, no task depends on
 * itself, and there is no cycle (it would wait for ever). They are checked
 * on what was sent even when some fields are invalid, so that one answer
 * lists every problem.
 */
import type { ValidationIssue } from './errors.js';

/** The part of a task the graph rules look at, as sent (not yet validated). */
interface GraphNode {
  index: number;
  identifier: string;
  dependsOn: { position: number; identifier: string }[];
}

export function taskGraphIssues(tasks: unknown): ValidationIssue[] {
  if (!Array.isArray(tasks)) return [];
  const nodes = tasks.flatMap((task, index) => {
    const node = graphNode(task, index);
    return node ? [node] : [];
  });
  const issues: ValidationIssue[] = [];
  const byIdentifier = new Map<string, GraphNode>();
  for (const node of nodes) {
    const first = byIdentifier.get(node.identifier);
    if (first) {
      issues.push({
        field: `tasks[${node.index}].identifier`,
        message: `"${node.identifier}" is already the identifier of tasks[${first.index}]`,
      });
    } else {
      byIdentifier.set(node.identifier, node);
    }
  }
  for (const node of nodes) {
    for (const { position, identifier } of node.dependsOn) {
      const field = `tasks[${node.index}].depends_on[${position}]`;
      if (identifier === node.identifier) issues.push({ field, message: `task "${identifier}" depends on itself` });
      else if (!byIdentifier.has(identifier)) issues.push({ field, message: unknownDependency(identifier, byIdentifier) });
    }
  }
  issues.push(...cycleIssues([...byIdentifier.values()], byIdentifier));
  return issues;
}

function graphNode(task: unknown, index: number): GraphNode | null {
  const { identifier, depends_on } = (task ?? {}) as { identifier?: unknown; depends_on?: unknown };
  if (typeof identifier !== 'string') return null;
  const dependsOn = Array.isArray(depends_on)
    ? depends_on.flatMap((dep, position) => (typeof dep === 'string' ? [{ position, identifier: dep }] : []))
    : [];
  return { index, identifier, dependsOn };
}

const LISTED_IDENTIFIERS = 20;

function unknownDependency(identifier: string, known: ReadonlyMap<string, GraphNode>): string {
  const names = [...known.keys()];
  const listed = names.slice(0, LISTED_IDENTIFIERS).join(', ') + (names.length > LISTED_IDENTIFIERS ? ', …' : '');
  return `no task has the identifier "${identifier}" (identifiers: ${listed})`;
}

/**
 * One issue per cycle found, naming it (`a -> b -> a`), on the depends_on of
 * the task where the walk closed it. Self-dependencies are reported apart.
 */
function cycleIssues(nodes: readonly GraphNode[], byIdentifier: ReadonlyMap<string, GraphNode>): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: GraphNode[] = [];
  // Iterative depth-first walk: a 500-task chain must not hit the stack limit.
  for (const root of nodes) {
    if (state.has(root.identifier)) continue;
    const stack: { node: GraphNode; next: number }[] = [{ node: root, next: 0 }];
    state.set(root.identifier, 'open');
    path.push(root);
    while (stack.length > 0) {
      const frame = stack.at(-1)!;
      const edge = frame.node.dependsOn[frame.next++];
      if (!edge) {
        state.set(frame.node.identifier, 'done');
        path.pop();
        stack.pop();
        continue;
      }
      const target = byIdentifier.get(edge.identifier);
      if (!target || target === frame.node) continue;
      const seen = state.get(target.identifier);
      if (seen === 'open') {
        const cycle = path.slice(path.indexOf(target)).map((node) => node.identifier);
        issues.push({
          field: `tasks[${frame.node.index}].depends_on[${edge.position}]`,
          message: `cycle: ${[...cycle, target.identifier].join(' -> ')}`,
        });
      } else if (seen === undefined) {
        state.set(target.identifier, 'open');
        path.push(target);
        stack.push({ node: target, next: 0 });
      }
    }
  }
  return issues;
}
