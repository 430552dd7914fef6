import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import mongoose, { type Connection } from 'mongoose';
import type { GatewayEnv } from './gateway.env';
import { GATEWAY_ENV, GATEWAY_DB } from './gateway.tokens';

class GatewayDatabaseCloser implements OnApplicationShutdown {
  constructor(@Inject(GATEWAY_DB) private readonly connection: Connection) {}
  async onApplicationShutdown() {
    await this.connection.close();
  }
}

/** The gateway's own database (admin accounts and sessions); no other service reads it. */
@Global()
@Module({
  providers: [
    {
      provide: GATEWAY_DB,
      inject: [GATEWAY_ENV],
      useFactory: (config: GatewayEnv) =>
        mongoose
          .createConnection(config.mongoUrl, {
            dbName: config.database,
            serverSelectionTimeoutMS: 5000,
            autoIndex: false,
          })
          .asPromise(),
    },
    GatewayDatabaseCloser,
  ],
  exports: [GATEWAY_DB],
})
export class GatewayDatabaseModule {}
