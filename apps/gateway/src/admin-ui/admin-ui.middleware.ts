import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { stat } from 'node:fs/promises';
import { AdminUiConfig } from './admin-ui.config';
import {
  ADMIN_DEFAULT_CSP,
  HTML_SECURITY_HEADERS,
  notBuiltPage,
  REVALIDATE,
  routeUiRequest,
  UI_BASE,
} from './admin-ui.files';

/**
 * Serves the built admin UI at /admin/: files as they are, index.html for client-side routes (SPA
 * fallback), a 503 page while the UI is not built. A middleware rather than a controller so that it
 * never shadows /admin/v1 or /admin/docs routes, whichever module registers them and in what order.
 */
@Injectable()
export class AdminUiMiddleware implements NestMiddleware {
  constructor(private readonly config: AdminUiConfig) {}

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    const url = new URL(req.originalUrl, 'http://gateway.invalid');
    if (url.pathname === UI_BASE || url.pathname.startsWith(`${UI_BASE}/`)) {
      res.setHeader('Content-Security-Policy', ADMIN_DEFAULT_CSP);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const route = routeUiRequest(this.config.dir, url.pathname, url.search);
    switch (route.kind) {
      case 'pass':
      case 'not-found':
        return next();
      case 'redirect':
        res.redirect(308, route.location);
        return;
      case 'bad-request':
        res
          .status(400)
          .json({ error: { code: 'REQUEST.INVALID', message: 'This path cannot name an admin UI file.' } });
        return;
      case 'file': {
        const found = await isFile(route.path);
        if (found) return this.send(res, route.path, route.cacheControl, next);
        if (!route.fallback) return (await isFile(this.indexHtml())) ? next() : this.notBuilt(res);
        if (!(await isFile(this.indexHtml()))) return this.notBuilt(res);
        return this.send(res, this.indexHtml(), REVALIDATE, next);
      }
      default: {
        const _exhaustive: never = route;
        return next(_exhaustive);
      }
    }
  }

  private indexHtml(): string {
    return `${this.config.dir}/index.html`;
  }

  private send(res: Response, path: string, cacheControl: string, next: NextFunction): void {
    const headers: Record<string, string> = { 'Cache-Control': cacheControl, 'X-Content-Type-Options': 'nosniff' };
    if (path.endsWith('.html')) Object.assign(headers, HTML_SECURITY_HEADERS);
    res.sendFile(path, { headers, cacheControl: false, dotfiles: 'deny' }, (error) => {
      // A client that went away mid-transfer is not an error worth a 500.
      if (error && !res.headersSent) next(error);
    });
  }

  private notBuilt(res: Response): void {
    res
      .status(503)
      .set({
        'Cache-Control': 'no-store',
        'Content-Type': 'text/html; charset=utf-8',
        'Retry-After': '30',
        // The page's only styling is inline; nothing else may load.
        'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
      })
      .send(notBuiltPage());
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
