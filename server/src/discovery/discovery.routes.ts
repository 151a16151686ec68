// Public discovery, no credentials: /docs, /docs/<page> (HTML) and /docs/<page>.md,
// /actions.json and /llms.txt. (/schema.graphql is served by api/public.ts.)
import crypto from 'node:crypto';
import { Router, type Response } from 'express';
import type { AppDeps } from '../app-deps';
import { actionCatalog } from './catalog';
import { DOCS_STYLESHEET, docPage, htmlPage, indexMarkdown, llmsTxt, pageMarkdown, placeholderMarkdown, renderMarkdown } from './pages';

// Docs are our own markdown: no scripts, no third-party anything, and no inline
// style but the page's own stylesheet (allowed by its hash).
const DOCS_STYLE_HASH = `'sha256-${crypto.createHash('sha256').update(DOCS_STYLESHEET).digest('base64')}'`;
const DOCS_CSP = `default-src 'none'; style-src ${DOCS_STYLE_HASH}; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

export function discoveryRoutes(deps: AppDeps): Router {
  const router = Router();
  const { config } = deps;

  router.get('/actions.json', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.json(actionCatalog(config));
  });

  router.get('/llms.txt', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.type('text/plain; charset=utf-8').send(llmsTxt(config));
  });

  router.get(['/docs', '/docs/'], async (_req, res, next) => {
    try {
      sendHtml(res, htmlPage('Documentation', await renderMarkdown(indexMarkdown()), null));
    } catch (error) {
      next(error);
    }
  });

  router.get('/docs/:page', async (req, res, next) => {
    const requested = req.params.page;
    const asMarkdown = requested.endsWith('.md');
    const page = docPage(asMarkdown ? requested.slice(0, -3) : requested);
    if (!page) {
      next();
      return;
    }
    try {
      const markdown = pageMarkdown(page, config) ?? placeholderMarkdown(page);
      if (asMarkdown) {
        res.type('text/markdown; charset=utf-8').send(markdown);
        return;
      }
      sendHtml(res, htmlPage(page.title, await renderMarkdown(markdown), `/docs/${page.slug}.md`));
    } catch (error) {
      next(error);
    }
  });

  return router;
}

function sendHtml(res: Response, html: string): void {
  res.setHeader('Content-Security-Policy', DOCS_CSP);
  res.setHeader('Cache-Control', 'public, max-age=300');
  res.type('html').send(html);
}
