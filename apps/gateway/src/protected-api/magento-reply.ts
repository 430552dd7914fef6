import type { MagentoErrorBody } from '@integrations/contracts';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** Magento's REST error answer: JSON `{"message": ..., "parameters"?: ...}`. */
export function sendMagentoError(
  res: ServerResponse,
  status: number,
  body: MagentoErrorBody,
  headers: OutgoingHttpHeaders = {},
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const json = JSON.stringify(body);
  res
    .writeHead(status, {
      ...headers,
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(json),
    })
    .end(json);
}

export const UNAVAILABLE: MagentoErrorBody = Object.freeze({
  message: 'The API is unavailable right now. Try again later.',
});
