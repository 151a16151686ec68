// /healthz: the process answers. /readyz: the database answers and we are not shutting down.
import { Router } from 'express';
import type { AppDeps } from '../app-deps';

export function healthRoutes(deps: AppDeps, isShuttingDown: () => boolean): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (req, res) => {
    if (isShuttingDown()) {
      res.status(503).json({ status: 'shutting_down' });
      return;
    }
    try {
      await deps.db.prisma.$queryRaw`SELECT 1`;
      // Redis trouble degrades (rate limits, live notices) but never takes the node out of rotation.
      res.json({ status: 'ready', database: 'ok', live: deps.live.state?.() ?? 'memory', rateLimits: deps.rateLimitStores.state() });
    } catch (error) {
      deps.logger.error({ err: error, requestId: req.requestId }, 'readiness check: database unavailable');
      res.status(503).json({ status: 'unavailable', database: 'unreachable' });
    }
  });
  return router;
}
