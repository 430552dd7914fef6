// Shared loop of wait-kafka.js and wait-mongo.js: probe every 500 ms until the server answers,
// the time is up, or the server's process has exited. Exits the process: 0 ready, 1 not.
// Env: WAIT_TIMEOUT_S (default per script), WAIT_PID (optional: give up at once when that
// process has exited).
'use strict';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * name: the log prefix ('wait-kafka'); target: the address shown; probe(): resolves once the
 * server answers (rejects otherwise); ready(result, deadline): what to say in the ready line,
 * after any extra warm-up it wants to do before the deadline (ms epoch).
 */
function waitUntilReady({ name, target, defaultTimeoutS, probe, ready }) {
  const timeoutMs = Number(process.env.WAIT_TIMEOUT_S || defaultTimeoutS) * 1000;
  const watchedPid = process.env.WAIT_PID ? Number(process.env.WAIT_PID) : undefined;
  const started = Date.now();

  async function main() {
    let lastError = 'no attempt';
    let attempts = 0;
    while (Date.now() - started < timeoutMs) {
      if (watchedPid !== undefined && !processAlive(watchedPid)) {
        console.error(`${name}: process ${watchedPid} exited; last error: ${lastError}`);
        return 1;
      }
      attempts += 1;
      try {
        const detail = await ready(await probe(), started + timeoutMs);
        const secs = ((Date.now() - started) / 1000).toFixed(1);
        console.log(`${name}: ${target} ready after ${secs}s (${attempts} attempt(s); ${detail})`);
        return 0;
      } catch (err) {
        lastError = err && err.message ? err.message : String(err);
        await sleep(500);
      }
    }
    console.error(
      `${name}: ${target} not ready after ${timeoutMs / 1000}s (${attempts} attempts); last error: ${lastError}`,
    );
    return 1;
  }

  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(`${name}: ${err && err.stack ? err.stack : err}`);
      process.exit(1);
    },
  );
}

module.exports = { sleep, waitUntilReady };
