import type { Response } from 'express';
import type { MagentoErrorBody } from './protected-api.types';

/** Magento's REST error answer: JSON `{"message": ..., "parameters"?: ...}`. */
export function sendMagentoError(res: Response, status: number, body: MagentoErrorBody): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.status(status).type('application/json; charset=utf-8').send(JSON.stringify(body));
}
