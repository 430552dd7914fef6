import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import type { AdminAuditAction, AdminAuditDoc } from './admin-auth.models';

export interface AuditPage {
  items: AdminAuditDoc[];
  total: number;
  page: number;
  pageSize: number;
}

/** The admin accounts' audit trail (`admin_audit`): one inserted document per change, newest first. */
export class AdminAuditStore {
  constructor(private readonly audit: Model<AdminAuditDoc>) {}

  async record(entry: {
    at: Date;
    actor: string;
    action: AdminAuditAction;
    username: string;
    changes?: AdminAuditDoc['changes'];
  }): Promise<void> {
    await this.audit.create({ _id: randomUUID(), changes: {}, ...entry });
  }

  async list(page: number, pageSize: number): Promise<AuditPage> {
    const [items, total] = await Promise.all([
      this.audit
        .find({})
        .sort({ at: -1, _id: -1 })
        .skip((page - 1) * pageSize)
        .limit(pageSize)
        .lean<AdminAuditDoc[]>()
        .exec(),
      this.audit.countDocuments({}).exec(),
    ]);
    return { items, total, page, pageSize };
  }
}
