import { loadGatewayEnv } from './gateway.env';

const base = { MONGO_URL: 'mongodb://127.0.0.1:27017' };

describe('gateway configuration', () => {
  it('applies the documented defaults', () => {
    const config = loadGatewayEnv(base);
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      database: 'gateway',
      registryUrl: 'http://127.0.0.1:3001',
      session: { idleTtlSeconds: 900 },
      lockout: { threshold: 6, durationMs: 30 * 60_000 },
      credentialsFile: '.local/admin-credentials.json',
      bodyLimit: '64kb',
    });
    expect(config.bootstrapAdmin).toBeUndefined();
  });

  it('fails fast naming the variable to fix', () => {
    expect(() => loadGatewayEnv({})).toThrow(/MONGO_URL/);
    expect(() => loadGatewayEnv({ ...base, GATEWAY_PORT: 'eighty' })).toThrow(/GATEWAY_PORT/);
    expect(() => loadGatewayEnv({ ...base, REGISTRY_URL: 'registry:3001/' })).toThrow(/REGISTRY_URL/);
    expect(() => loadGatewayEnv({ ...base, ADMIN_LOCKOUT_THRESHOLD: '0' })).toThrow(/ADMIN_LOCKOUT_THRESHOLD/);
  });

  it('wants both bootstrap variables or neither, and never echoes the password', () => {
    expect(() => loadGatewayEnv({ ...base, ADMIN_USERNAME: 'root' })).toThrow(/ADMIN_PASSWORD: set both/);
    let message = '';
    try {
      loadGatewayEnv({ ...base, ADMIN_PASSWORD: 'Sup3r-secret-value' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/ADMIN_USERNAME/);
    expect(message).not.toContain('Sup3r-secret-value');
  });

  it('accepts fractional lockout minutes (short locks in tests)', () => {
    expect(loadGatewayEnv({ ...base, ADMIN_LOCKOUT_MINUTES: '0.05' }).lockout.durationMs).toBe(3000);
  });
});
