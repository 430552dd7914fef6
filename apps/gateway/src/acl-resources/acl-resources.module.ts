import { Module } from '@nestjs/common';
import type { Logger } from '@integrations/service-kit';
import type { GatewayEnv } from '../gateway.env';
import { GATEWAY_ENV, GATEWAY_LOGGER } from '../gateway.tokens';
import { AclAdminClient, AclResourcesController } from './acl-resources.controller';

const ACL_TIMEOUT_MS = 5_000;

/** `/admin/v1/acl/resources`, proxied to the acl service. */
@Module({
  controllers: [AclResourcesController],
  providers: [
    {
      provide: AclAdminClient,
      inject: [GATEWAY_ENV, GATEWAY_LOGGER],
      useFactory: (config: GatewayEnv, logger: Logger) =>
        new AclAdminClient('the acl service', config.aclUrl, ACL_TIMEOUT_MS, logger),
    },
  ],
})
export class AclResourcesModule {}
