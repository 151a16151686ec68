// Public, credential-free surface: the SDL and the built dashboard (web/dist), or a landing page until it is built.
import fs from 'node:fs';
import path from 'node:path';
import { Router, static as serveStatic } from 'express';
import type { AppDeps } from '../app-deps';
import { printGraphQLSchema } from './schema';
import { repoRoot } from '../common/paths';

export function publicRoutes(_deps: AppDeps): Router {
  const router = Router();
  // Browsers ask every page's origin for one; the dashboard declares none (data:), the docs
  // and API have none. An empty answer instead of a 404 keeps consoles free of errors.
  router.get('/favicon.ico', (_req, res) => {
    res.set('cache-control', 'public, max-age=86400').status(204).end();
  });
  router.get('/schema.graphql', async (_req, res) => {
    res.type('text/plain; charset=utf-8').send(await printGraphQLSchema());
  });

  const webDist = path.join(repoRoot(), 'web', 'dist');
  if (fs.existsSync(path.join(webDist, 'index.html'))) {
    // Hashed assets are immutable; index.html is always revalidated so a new build shows up.
    router.use(serveStatic(webDist, { index: false, maxAge: '1h' }));
    // The dashboard routes on the client: any other page a browser asks for (/, /leads/…,
    // /settings after a reload) gets the app, which shows its own "not found".
    const indexHtml = path.join(webDist, 'index.html');
    router.get(/.*/, (req, res, next) => {
      const wantsPage = req.path === '/' || (req.headers.accept ?? '').includes('text/html');
      if (/\.[a-z0-9]+$/i.test(req.path) || !wantsPage) {
        next();
        return;
      }
      res.set('cache-control', 'no-cache').sendFile(indexHtml);
    });
  } else {
    router.get('/', (_req, res) => {
      res.type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>CallSnare</title></head>
<body><main><h1>CallSnare</h1><p>Keep working. We'll handle the callback.</p>
<p>The API is at <a href="/graphql">/graphql</a>; its schema at <a href="/schema.graphql">/schema.graphql</a>.</p></main></body></html>`);
    });
  }
  return router;
}
