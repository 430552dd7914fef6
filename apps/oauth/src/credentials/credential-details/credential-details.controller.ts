import type { CredentialDetailsReply } from '@integrations/contracts';
import { badRequest } from '@integrations/service-kit';
import { Controller, Get, Header, Param } from '@nestjs/common';
import { CredentialDetailsHandler } from './credential-details.handler';

@Controller('integrations')
export class CredentialDetailsController {
  constructor(private readonly handler: CredentialDetailsHandler) {}

  /**
   * Internal (gateway only): Integration Details of one integration, never a secret
   * (CredentialDetailsReplySchema). 200 with `consumer: null` when it has no credentials.
   */
  @Get(':id/credential-details')
  @Header('Cache-Control', 'no-store')
  details(@Param('id') integrationId: string): Promise<CredentialDetailsReply> {
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(integrationId))
      throw badRequest('REQUEST.INVALID', 'The integration id is not valid.');
    return this.handler.execute(integrationId, new Date());
  }
}
