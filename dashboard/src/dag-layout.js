/**
 * Positions for a task graph drawn left to right: a node's column is the
 * length of the longest dependency chain before it, so every edge points
 * rightwards; nodes of a column are stacked in submit order.
 */
export const NODE_WIDTH = 150;
export const NODE_HEIGHT = 44;
const COLUMN_GAP = 60;
const ROW_GAP = 18;

export function layoutGraph(tasks) {
  const byName = new Map(tasks.map((task) => [task.identifier, task]));
  const depth = new Map();
  const depthOf = (task) => {
    if (depth.has(task.identifier)) return depth.get(task.identifier);
    depth.set(task.identifier, 0); // the server refuses cycles; this only stops a runaway on bad data
    const parents = task.depends_on.map((name) => byName.get(name)).filter(Boolean);
    const value = parents.length === 0 ? 0 : 1 + Math.max(...parents.map(depthOf));
    depth.set(task.identifier, value);
    return value;
  };
  const columns = [];
  for (const task of tasks) (columns[depthOf(task)] ??= []).push(task);
  const nodes = new Map();
  columns.forEach((column, x) =>
    column.forEach((task, y) =>
      nodes.set(task.identifier, {
        task,
        x: x * (NODE_WIDTH + COLUMN_GAP),
        y: y * (NODE_HEIGHT + ROW_GAP),
      }),
    ),
  );
  const edges = tasks.flatMap((task) =>
    task.depends_on.filter((name) => nodes.has(name)).map((name) => ({ from: nodes.get(name), to: nodes.get(task.identifier) })),
  );
  const tallest = Math.max(1, ...columns.map((column) => column.length));
  return {
    nodes: [...nodes.values()],
    edges,
    width: Math.max(1, columns.length) * (NODE_WIDTH + COLUMN_GAP) - COLUMN_GAP,
    height: tallest * (NODE_HEIGHT + ROW_GAP) - ROW_GAP,
  };
}
