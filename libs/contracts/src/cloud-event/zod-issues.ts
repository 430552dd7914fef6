import type { z } from 'zod';
import type { ContractIssue } from './contract-validation.error';

export function toContractIssues(error: z.ZodError, pathPrefix = ''): ContractIssue[] {
  return error.issues.map((issue) => ({
    path: [pathPrefix, ...issue.path.map(String)].filter((part) => part !== '').join('.') || '(root)',
    message: issue.message,
  }));
}

export function describeIssues(issues: readonly ContractIssue[]): string {
  return issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
}
