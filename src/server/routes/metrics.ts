/** `GET /metrics`: Prometheus text format; behind the token like every route but /health and /openapi.json. */
import type { FastifyInstance } from 'fastify';
import type { MetricsExporter } from '../../service/metrics/metrics-exporter.js';

export function registerMetricsRoute(app: FastifyInstance, metrics: MetricsExporter): void {
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['server'],
        summary: 'Prometheus metrics: tasks by status, workers, queue age, durations, cost, tokens and failures',
        produces: ['text/plain'],
      },
    },
    async (_request, reply) => {
      const { contentType, body } = await metrics.scrape();
      return reply.type(contentType).send(body);
    },
  );
}
