import {
  type DynamicModule,
  Inject,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  type OnModuleInit,
  Optional,
  RequestMethod,
} from '@nestjs/common';
import type { Logger } from '@integrations/service-kit';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GATEWAY_LOGGER } from '../gateway.tokens';
import { AdminUiConfig, loadAdminUiConfig } from './admin-ui.config';
import { AdminUiMiddleware } from './admin-ui.middleware';

/**
 * The web admin (apps/admin-ui), built by `npm run build:admin-ui` and served at /admin/. Reads
 * ADMIN_UI_DIR (default apps/admin-ui/dist) at boot. A missing build is not fatal: the API works
 * and /admin/ says how to build the UI (the files are looked up per request, so no restart needed).
 */
@Module({})
export class AdminUiModule implements NestModule, OnModuleInit {
  constructor(
    private readonly config: AdminUiConfig,
    @Optional() @Inject(GATEWAY_LOGGER) private readonly logger?: Logger,
  ) {}

  static forRoot(config: AdminUiConfig = loadAdminUiConfig()): DynamicModule {
    return {
      module: AdminUiModule,
      providers: [{ provide: AdminUiConfig, useValue: config }, AdminUiMiddleware],
    };
  }

  onModuleInit(): void {
    if (existsSync(join(this.config.dir, 'index.html'))) {
      this.logger?.info({ dir: this.config.dir }, 'admin UI served at /admin/');
    } else {
      this.logger?.warn(
        { dir: this.config.dir },
        'admin UI not built: /admin/ answers 503 until `npm run build:admin-ui` is run',
      );
    }
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(AdminUiMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
