import { Module } from '@nestjs/common';
import type { Logger } from '@integrations/service-kit';
import type { GatewayConfig } from '../gateway.config';
import { GATEWAY_CONFIG, GATEWAY_LOGGER } from '../gateway.tokens';
import { InternalServiceClient } from '../settings/internal-service.client';
import { AclResourcesController } from './acl-resources.controller';
import { ACL_CLIENT } from './acl-resources.tokens';

const ACL_TIMEOUT_MS = 5_000;

/** `/admin/v1/acl/resources`, proxied to the acl service. */
@Module({
  controllers: [AclResourcesController],
  providers: [
    {
      provide: ACL_CLIENT,
      inject: [GATEWAY_CONFIG, GATEWAY_LOGGER],
      useFactory: (config: GatewayConfig, logger: Logger) =>
        new InternalServiceClient('the acl service', config.aclUrl, ACL_TIMEOUT_MS, logger),
    },
  ],
})
export class AclResourcesModule {}
