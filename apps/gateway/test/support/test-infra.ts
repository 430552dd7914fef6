/**
 * Where the shared Kafka and FerretDB are. Temporary until `@integrations/testing` exposes
 * `getTestInfra()`.
 */
export interface GatewayTestInfra {
  mongoUrl: string;
  kafkaBrokers: string[];
}

export async function testInfra(): Promise<GatewayTestInfra> {
  const mongoUrl = process.env.MONGO_URL;
  const brokers = process.env.KAFKA_BROKERS;
  if (!mongoUrl || !brokers) {
    throw new Error(
      'MONGO_URL and KAFKA_BROKERS must be set: start local infrastructure with `bash tools/infra/infra.sh up`, then export ' +
        'MONGO_URL=mongodb://127.0.0.1:27017 KAFKA_BROKERS=127.0.0.1:9092',
    );
  }
  return { mongoUrl, kafkaBrokers: brokers.split(',').map((b) => b.trim()) };
}

export async function testMongoUrl(): Promise<string> {
  const mongoUrl = process.env.MONGO_URL;
  if (!mongoUrl)
    throw new Error('MONGO_URL is not set: start local infrastructure with `bash tools/infra/infra.sh up`.');
  return mongoUrl;
}
