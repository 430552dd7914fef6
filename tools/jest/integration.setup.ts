import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

// Integration tests talk to a real broker and database; consumer-group joins alone take seconds.
jest.setTimeout(120_000);

/**
 * Jest 30 throws "You are trying to `require` a file outside of the scope of the test code" when
 * code running between two tests requires a module. kafkajs requires each protocol version lazily
 * (`requests/<api>/v<n>/request.js`), so a consumer that commits or heartbeats for the first time
 * between tests would crash. Loading every protocol module up front, inside each test file's
 * scope, avoids it.
 */
function preloadKafkajsProtocol(): void {
  const requests = path.join(path.dirname(require.resolve('kafkajs/package.json')), 'src/protocol/requests');
  for (const api of readdirSync(requests)) {
    const apiDir = path.join(requests, api);
    if (!existsSync(path.join(apiDir, 'index.js'))) continue;
    for (const version of readdirSync(apiDir).filter((name) => /^v\d+$/.test(name))) {
      for (const file of ['request.js', 'response.js']) {
        const module = path.join(apiDir, version, file);
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- computed paths, loaded for their side effect on jest's registry
        if (existsSync(module)) require(module);
      }
    }
  }
}
preloadKafkajsProtocol();
