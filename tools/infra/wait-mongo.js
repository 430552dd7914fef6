#!/usr/bin/env node
// Waits until a MongoDB-compatible server (FerretDB here) answers a driver ping.
// Env: MONGO_URL (default mongodb://127.0.0.1:27017), WAIT_TIMEOUT_S (default 30),
// WAIT_PID (optional: give up at once when that process has exited).
'use strict';

const { waitUntilReady } = require('./wait-ready');

// The official driver as mongoose (a declared dependency) exports it: `mongodb` itself is not one.
const { MongoClient } = require('mongoose').mongo;
const url = process.env.MONGO_URL || 'mongodb://127.0.0.1:27017';

async function probe() {
  const client = new MongoClient(url, {
    serverSelectionTimeoutMS: 2000,
    connectTimeoutMS: 2000,
    directConnection: true,
  });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
    const info = await client.db('admin').command({ buildInfo: 1 });
    return info;
  } finally {
    await client.close().catch(() => undefined);
  }
}

waitUntilReady({
  name: 'wait-mongo',
  target: url,
  defaultTimeoutS: 30,
  probe,
  ready: (info) => (info.ferretdbVersion ? `FerretDB ${info.ferretdbVersion}` : `MongoDB ${info.version}`),
});
