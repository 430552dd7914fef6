import { ConfigError } from '@integrations/service-kit';
import { loadConfigServiceEnv } from './config.env';

const valid = { MONGO_URL: 'mongodb://127.0.0.1:27017', KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.2:9092' };

describe('config service environment', () => {
  it('applies the defaults: port 3004, database "config", no topic prefix', () => {
    expect(loadConfigServiceEnv(valid)).toEqual({
      CONFIG_PORT: 3004,
      CONFIG_HOST: '127.0.0.1',
      MONGO_URL: 'mongodb://127.0.0.1:27017',
      CONFIG_DB: 'config',
      KAFKA_BROKERS: ['127.0.0.1:9092', '127.0.0.2:9092'],
      KAFKA_TOPIC_REPLICATION: 1,
      CONFIG_TOPIC_PREFIX: '',
    });
  });

  it('fails naming every missing or malformed variable', () => {
    const load = () => loadConfigServiceEnv({ CONFIG_PORT: '70000', CONFIG_DB: 'bad name' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/CONFIG_PORT[\s\S]*MONGO_URL[\s\S]*CONFIG_DB[\s\S]*KAFKA_BROKERS/);
  });
});
