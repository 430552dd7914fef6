import type { ApiCallVerdict } from '@integrations/contracts';

export const refuse = (status: 400 | 401, code: string, problem: string): ApiCallVerdict => ({
  ok: false,
  status,
  code,
  problem,
});
