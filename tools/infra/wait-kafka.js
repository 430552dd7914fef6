#!/usr/bin/env node
// Waits until a Kafka broker answers real admin calls, not merely until its port is open: a
// KRaft broker accepts connections before its metadata is loaded.
// Env: KAFKA_BROKERS (default 127.0.0.1:9092), WAIT_TIMEOUT_S (default 60),
// WAIT_PID (optional: give up at once when that process has exited).
'use strict';

const { Kafka, logLevel } = require('kafkajs');
const { sleep, waitUntilReady } = require('./wait-ready');

const brokers = (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',').map((b) => b.trim());

async function probe() {
  const kafka = new Kafka({
    clientId: 'infra-wait',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2000,
    requestTimeout: 5000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0 || cluster.controller === null || cluster.controller < 0) {
      throw new Error('metadata has no broker or no active controller yet');
    }
    await admin.listTopics();
    return cluster;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

// The first consumer group join creates __consumer_offsets and the first idempotent producer
// waits for the transaction coordinator to load; each takes seconds on a small machine. Doing
// both here keeps that delay out of the first test's timeout. Best effort: false = not yet.
async function warmCoordinators(deadline) {
  const kafka = new Kafka({
    clientId: 'infra-wait',
    brokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 2000 },
  });
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true, allowAutoTopicCreation: false });
  let groupReady = false;
  let producerReady = false;
  try {
    await admin.connect();
    while (Date.now() < deadline && !(groupReady && producerReady)) {
      try {
        if (!groupReady) {
          await admin.describeGroups(['infra-wait-warmup']);
          groupReady = true;
        }
        if (!producerReady) {
          // connect() of an idempotent producer runs InitProducerId.
          await producer.connect();
          producerReady = true;
        }
      } catch {
        await sleep(500);
      }
    }
    return groupReady && producerReady;
  } finally {
    await producer.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}

waitUntilReady({
  name: 'wait-kafka',
  target: brokers.join(','),
  defaultTimeoutS: 60,
  probe,
  ready: async (cluster, deadline) => {
    const coordinatorsReady = await warmCoordinators(deadline);
    return (
      `cluster ${cluster.clusterId}, controller ${cluster.controller}` +
      `${coordinatorsReady ? '' : '; group/transaction coordinators not ready yet'}`
    );
  },
});
