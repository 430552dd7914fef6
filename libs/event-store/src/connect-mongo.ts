import mongoose from 'mongoose';

export interface ConnectMongoOptions {
  /** Default 10. */
  maxPoolSize?: number;
  /** How long to wait for the server at start and on each operation. Default 10 s. */
  serverSelectionTimeoutMS?: number;
}

/**
 * Opens a dedicated connection (never the mongoose global: a service may hold several, and tests
 * open one per database). Works with MongoDB 7 and FerretDB v1: no retryable writes assumed, no
 * automatic index builds (mongoose would issue them in the background on first use and FerretDB
 * reports errors late); call `ensureIndexes()` of each store or projection at boot instead.
 */
export async function connectMongo(
  url: string,
  dbName: string,
  options: ConnectMongoOptions = {},
): Promise<mongoose.Connection> {
  const connection = mongoose.createConnection(url, {
    dbName,
    autoIndex: false,
    autoCreate: false,
    maxPoolSize: options.maxPoolSize ?? 10,
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 10_000,
  });
  try {
    return await connection.asPromise();
  } catch (error) {
    // Otherwise the driver keeps retrying in the background and holds the process open.
    await connection.close().catch(() => undefined);
    throw error;
  }
}
