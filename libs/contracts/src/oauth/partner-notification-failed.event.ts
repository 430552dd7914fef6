import { z } from 'zod';
import { defineEvent, type DataOf } from '../event-definition';
import { Topics } from '../topics';
import { partnerNotificationAttempt } from './partner-notification-delivered.event';

/**
 * An attempt to notify the partner failed: refused by the outbound guard, a transport error, or an
 * answer other than 2xx. `nextAttemptAt` is when it is tried again; null when it was the last try.
 */
export const PartnerNotificationFailed = defineEvent({
  type: 'PartnerNotificationFailed',
  topic: Topics.oauth,
  schemaVersion: 1,
  schema: z.strictObject({
    ...partnerNotificationAttempt,
    /** The HTTP status the callback answered; null when there was no answer. */
    status: z.number().int().min(100).max(599).nullable(),
    /** Stable code: OAUTH.CALLBACK_ADDRESS_REFUSED, OAUTH.CALLBACK_URL_INVALID or OAUTH.CALLBACK_FAILED. */
    code: z.string().min(1),
    /** Why, for a person (host and cause; never the body). */
    problem: z.string(),
    nextAttemptAt: z.iso.datetime({ offset: true }).nullable(),
  }),
});
export type PartnerNotificationFailedData = DataOf<typeof PartnerNotificationFailed>;
