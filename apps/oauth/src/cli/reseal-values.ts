import type mongoose from 'mongoose';
import { SecretBox, SecretUnreadableError } from '../crypto/secret-box';
import type { SealedCollection } from './sealed-fields';

type Db = mongoose.mongo.Db;
type Collection = mongoose.mongo.Collection<SealedDocument>;

/** The part of a stored document the re-seal reads: `_id`, the sealed fields, the integration. */
export interface SealedDocument {
  _id: string;
  integrationId?: string;
  [field: string]: unknown;
}

/** A value that could not be opened: named by where it is and its key id, never by its content. */
export interface UnreadableValue {
  collection: string;
  field: string;
  integrationId: string | null;
  /** The key id the value names; `(not gcm1)` when it is not a sealed value at all. */
  keyId: string;
  reason: 'unknown key' | 'failed authentication' | 'not sealed';
}

export interface Counts {
  documents: number;
  /** Values re-sealed with the active key (in a dry run: that would be). */
  resealed: number;
  /** Values already sealed with the active key. */
  current: number;
  unreadable: number;
  /** Documents that changed under us on every attempt: left for the next run. */
  busy: number;
}

export interface CollectionReport extends Counts {
  collection: string;
  total: number;
}

export interface ResealReport extends Counts {
  dryRun: boolean;
  activeKeyId: string;
  collections: CollectionReport[];
  /** Unreadable values by the key id they name. */
  unreadableKeyIds: Record<string, number>;
  /** The first unreadable values, to find the integrations concerned. */
  unreadableSamples: UnreadableValue[];
}

export interface ResealOptions {
  dryRun?: boolean;
  /** Cursor batch size. */
  batchSize?: number;
  /** A progress report every this many documents of a collection (and at its end). */
  progressEvery?: number;
  onProgress?: (progress: CollectionReport) => void;
}

/** How often a document written concurrently is read again before it is left for the next run. */
const MAX_ATTEMPTS = 5;
const MAX_SAMPLES = 20;

/**
 * Re-seals with the active key every value of `collections` sealed with another key, so that key
 * can be retired. Runs beside the live service: each document is updated only if its sealed values
 * are still the ones read (compare-and-set), so a concurrent write (a revoke, a new token, a delete)
 * is never overwritten; such a document is read again. The plaintext does not change, so what the
 * service holds in its caches stays right.
 */
export async function resealDatabase(
  db: Db,
  box: SecretBox,
  collections: readonly SealedCollection[],
  options: ResealOptions = {},
): Promise<ResealReport> {
  const report: ResealReport = {
    dryRun: options.dryRun ?? false,
    activeKeyId: box.activeKeyId,
    ...zeroCounts(),
    collections: [],
    unreadableKeyIds: {},
    unreadableSamples: [],
  };
  const progressEvery = options.progressEvery ?? 1000;
  for (const spec of collections) {
    const collection = db.collection<SealedDocument>(spec.collection);
    const projection = Object.fromEntries([['integrationId', 1], ...spec.fields.map((f) => [f.field, 1] as const)]);
    // Read first, then write: on FerretDB (SQLite) a cursor left open across the updates made them
    // about 4x slower (1,000 tokens: 0.7 s instead of 0.17 s per document on a busy 2-core machine).
    // The projection is small (~250 bytes a document: 100,000 tokens are ~25 MB).
    const documents = await collection.find({}, { projection, batchSize: options.batchSize ?? 500 }).toArray();
    const current: CollectionReport = { collection: spec.collection, total: documents.length, ...zeroCounts() };
    for (const document of documents) {
      const outcome = await resealDocument(collection, spec, document, box, { dryRun: report.dryRun });
      current.documents += 1;
      current.resealed += outcome.resealed;
      current.current += outcome.current;
      current.unreadable += outcome.unreadable.length;
      current.busy += outcome.busy ? 1 : 0;
      for (const value of outcome.unreadable) {
        report.unreadableKeyIds[value.keyId] = (report.unreadableKeyIds[value.keyId] ?? 0) + 1;
        if (report.unreadableSamples.length < MAX_SAMPLES) report.unreadableSamples.push(value);
      }
      if (current.documents % progressEvery === 0) options.onProgress?.({ ...current });
    }
    if (current.documents % progressEvery !== 0 || current.documents === 0) options.onProgress?.({ ...current });
    report.collections.push(current);
    for (const key of ['documents', 'resealed', 'current', 'unreadable', 'busy'] as const) report[key] += current[key];
  }
  return report;
}

export interface DocumentOutcome {
  resealed: number;
  current: number;
  unreadable: UnreadableValue[];
  /** Gone (deleted, consumed) before it could be updated: nothing left to re-seal. */
  vanished: boolean;
  /** Changed on every attempt. */
  busy: boolean;
}

/**
 * One document: opens each value not sealed with the active key, seals it again, and writes the new
 * values only where the document still holds the ones read. A miss means the service wrote the
 * document meanwhile: it is read again and the decision is made on what is there now.
 */
export async function resealDocument(
  collection: Collection,
  spec: SealedCollection,
  read: SealedDocument,
  box: SecretBox,
  options: { dryRun: boolean },
): Promise<DocumentOutcome> {
  let document: SealedDocument | null = read;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    if (!document) return { resealed: 0, current: 0, unreadable: [], vanished: true, busy: false };
    const outcome: DocumentOutcome = { resealed: 0, current: 0, unreadable: [], vanished: false, busy: false };
    const expected: Record<string, string> = {};
    const replacement: Record<string, string> = {};
    for (const { field, context } of spec.fields) {
      const sealed = document[field];
      if (sealed === undefined || sealed === null || sealed === '') continue;
      const keyId = typeof sealed === 'string' ? SecretBox.keyIdOf(sealed) : undefined;
      if (keyId === box.activeKeyId) {
        outcome.current += 1;
        continue;
      }
      const where = { collection: spec.collection, field, integrationId: document.integrationId ?? null };
      if (typeof sealed !== 'string' || keyId === undefined) {
        outcome.unreadable.push({ ...where, keyId: '(not gcm1)', reason: 'not sealed' });
        continue;
      }
      let plaintext: string;
      try {
        plaintext = box.open(sealed, context(document._id));
      } catch (error) {
        if (!(error instanceof SecretUnreadableError)) throw error;
        outcome.unreadable.push({
          ...where,
          keyId,
          reason: box.knows(keyId) ? 'failed authentication' : 'unknown key',
        });
        continue;
      }
      expected[field] = sealed;
      replacement[field] = box.seal(plaintext, context(document._id));
      outcome.resealed += 1;
    }
    if (outcome.resealed === 0 || options.dryRun) return outcome;
    const result = await collection.updateOne({ _id: document._id, ...expected }, { $set: replacement });
    if (result.matchedCount === 1) return outcome;
    const projection = Object.fromEntries([['integrationId', 1], ...spec.fields.map((f) => [f.field, 1] as const)]);
    document = await collection.findOne({ _id: document._id }, { projection });
  }
  return { resealed: 0, current: 0, unreadable: [], vanished: false, busy: true };
}

function zeroCounts(): Counts {
  return { documents: 0, resealed: 0, current: 0, unreadable: 0, busy: 0 };
}
