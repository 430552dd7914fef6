import type { mongo } from 'mongoose';

export const NAME_RESERVATIONS_COLLECTION = 'name_reservations';

/** `{_id: lowercased trimmed name, integrationId, at}`; the unique `_id` is what makes names unique. */
export interface NameReservation {
  _id: string;
  integrationId: string;
  at: Date;
}

/** What the reserving integration's event stream says about a reservation it holds. */
export type HolderState = { kind: 'none' } | { kind: 'deleted' } | { kind: 'live'; nameKey: string };

export class NameTakenError extends Error {
  override readonly name = 'NameTakenError';
  constructor(readonly requestedName: string) {
    super(`The integration with name "${requestedName}" exists.`);
  }
}

export const nameKey = (name: string) => name.trim().toLowerCase();

const DUPLICATE_KEY = 11000;
const isDuplicateKey = (error: unknown) => (error as { code?: number })?.code === DUPLICATE_KEY;

/**
 * Case-insensitive name uniqueness among live integrations, strongly consistent (a unique `_id`
 * instead of a query on the eventually consistent grid). A command reserves before it appends its
 * events and releases after; a crash in between leaves a dangling reservation that the next claimant
 * takes over once the holder's own stream shows it does not use the name.
 */
export class NameReservations {
  constructor(
    private readonly collection: mongo.Collection<NameReservation>,
    private readonly inspectHolder: (integrationId: string) => Promise<HolderState>,
    /**
     * How long a reservation whose holder has not (yet) appended is respected. A holder between
     * "reserve" and "append" looks exactly like a crashed one, so only age tells them apart; it
     * must exceed the longest a command takes from reserve to append.
     */
    private readonly graceMs = 30_000,
  ) {}

  /** Reserves `name` for `integrationId`; idempotent for the current holder. Throws NameTakenError. */
  async reserve(name: string, integrationId: string, now: Date): Promise<void> {
    const key = nameKey(name);
    // A few rounds: each round either succeeds or observes a changed reservation (released or taken over).
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await this.collection.insertOne({ _id: key, integrationId, at: now });
        return;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      const current = await this.collection.findOne({ _id: key });
      if (!current) continue; // released meanwhile
      if (current.integrationId === integrationId) return;
      if (!(await this.isDangling(current, key, now))) throw new NameTakenError(name.trim());
      const taken = await this.collection.findOneAndUpdate(
        { _id: key, integrationId: current.integrationId, at: current.at },
        { $set: { integrationId, at: now } },
        { returnDocument: 'after' },
      );
      if (taken?.integrationId === integrationId) return;
    }
    throw new NameTakenError(name.trim());
  }

  /** Frees `name` if `integrationId` holds it (never someone else's reservation). */
  async release(name: string, integrationId: string): Promise<void> {
    await this.collection.deleteOne({ _id: nameKey(name), integrationId });
  }

  /**
   * Release after the event is stored: the command has succeeded, so a failure here must not turn
   * it into an error. The reservation dangles until the next claimant takes it over.
   */
  async releaseAfterCommit(name: string, integrationId: string, onError: (error: unknown) => void): Promise<void> {
    await this.release(name, integrationId).catch(onError);
  }

  /** Every integration that holds a reservation (a create in flight or crashed may have no stream yet). */
  async reservingIds(): Promise<string[]> {
    const reservations = await this.collection.find({}, { projection: { integrationId: 1 } }).toArray();
    return reservations.map((reservation) => reservation.integrationId);
  }

  async holderOf(name: string): Promise<string | null> {
    return (await this.collection.findOne({ _id: nameKey(name) }))?.integrationId ?? null;
  }

  private async isDangling(reservation: NameReservation, key: string, now: Date): Promise<boolean> {
    const holder = await this.inspectHolder(reservation.integrationId);
    switch (holder.kind) {
      case 'deleted':
        return true; // a deleted integration never uses a name again
      case 'live':
        if (holder.nameKey === key) return false;
        return now.getTime() - reservation.at.getTime() > this.graceMs; // maybe a rename in flight
      case 'none':
        return now.getTime() - reservation.at.getTime() > this.graceMs; // maybe a create in flight
      default: {
        const _exhaustive: never = holder;
        throw new Error(`unknown holder state ${JSON.stringify(_exhaustive)}`);
      }
    }
  }
}
