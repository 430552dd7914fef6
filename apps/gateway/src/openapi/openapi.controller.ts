import { Controller, Get, Header } from '@nestjs/common';
import openapi from './openapi.json';

/**
 * The admin API's OpenAPI 3.1 document, and a small self-contained page listing it (no CDN assets:
 * the gateway may run without internet access).
 */
@Controller('admin/docs')
export class OpenApiController {
  private readonly page = renderPage(openapi as unknown as OpenApiDocument);

  @Get('openapi.json')
  document() {
    return openapi;
  }

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'")
  html() {
    return this.page;
  }
}

interface OpenApiOperation {
  summary?: string;
  description?: string;
  responses?: Record<string, { description?: string }>;
}
interface OpenApiDocument {
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, OpenApiOperation>>;
}

const METHODS = ['get', 'post', 'put', 'delete', 'patch'];

function renderPage(doc: OpenApiDocument): string {
  const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => {
      const op = item[method];
      const responses = Object.entries(op.responses ?? {})
        .map(([status, response]) => `<li><code>${escape(status)}</code> ${escape(response.description ?? '')}</li>`)
        .join('');
      return `<section><h2><span class="m">${method.toUpperCase()}</span> <code>${escape(path)}</code></h2>
<p>${escape(op.summary ?? '')}</p>${op.description ? `<p>${escape(op.description)}</p>` : ''}<ul>${responses}</ul></section>`;
    }),
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(doc.info.title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h2{font-size:1.05rem;margin:1.5rem 0 .25rem}.m{display:inline-block;min-width:4.5rem;font-weight:700}
code{background:#f3f3f3;padding:0 .25rem;border-radius:3px}section{border-top:1px solid #ddd}</style></head>
<body><h1>${escape(doc.info.title)} <small>${escape(doc.info.version)}</small></h1>
<p>${escape(doc.info.description ?? '')}</p>
<p>Machine-readable document: <a href="/admin/docs/openapi.json">/admin/docs/openapi.json</a> (OpenAPI 3.1).</p>
${operations.join('\n')}</body></html>`;
}

function escape(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}
