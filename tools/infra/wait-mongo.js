#!/usr/bin/env node
// Waits until a MongoDB-compatible server (FerretDB here) answers a driver ping.
// Env: MONGO_URL (default mongodb://127.0.0.1:27017), WAIT_TIMEOUT_S (default 30),
// WAIT_PID (optional: give up at once when that process has exited).
'use strict';

// mongoose brings the official driver; fall back to mongoose's own copy if npm nested it.
function loadMongoClient() {
  try {
    return require('mongodb').MongoClient;
  } catch {
    return require('mongoose').mongo.MongoClient;
  }
}

const MongoClient = loadMongoClient();
const url = process.env.MONGO_URL || 'mongodb://127.0.0.1:27017';
const timeoutMs = Number(process.env.WAIT_TIMEOUT_S || 30) * 1000;
const watchedPid = process.env.WAIT_PID ? Number(process.env.WAIT_PID) : undefined;
const started = Date.now();

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

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

async function main() {
  let lastError = 'no attempt';
  let attempts = 0;
  while (Date.now() - started < timeoutMs) {
    if (watchedPid !== undefined && !processAlive(watchedPid)) {
      console.error(`wait-mongo: process ${watchedPid} exited; last error: ${lastError}`);
      return 1;
    }
    attempts += 1;
    try {
      const info = await probe();
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      const flavour = info.ferretdbVersion ? `FerretDB ${info.ferretdbVersion}` : `MongoDB ${info.version}`;
      console.log(`wait-mongo: ${url} ready after ${secs}s (${attempts} attempt(s); ${flavour})`);
      return 0;
    } catch (err) {
      lastError = err && err.message ? err.message : String(err);
      await sleep(500);
    }
  }
  console.error(`wait-mongo: ${url} not ready after ${timeoutMs / 1000}s (${attempts} attempts); last error: ${lastError}`);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`wait-mongo: ${err && err.stack ? err.stack : err}`);
    process.exit(1);
  },
);
