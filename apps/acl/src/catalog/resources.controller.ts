import { Controller, Get, Inject } from '@nestjs/common';
import { AclCatalog, type AclResourceNode } from './acl-catalog';

/**
 * The tree the admin UI shows under "Resource Access = Custom" (children of Magento_Backend::admin,
 * siblings sorted by sortOrder). The gateway serves it as `GET /admin/v1/acl/resources`.
 */
@Controller('resources')
export class ResourcesController {
  constructor(@Inject(AclCatalog) private readonly catalog: AclCatalog) {}

  @Get()
  list(): { resources: readonly AclResourceNode[] } {
    return { resources: this.catalog.tree };
  }
}
