import { DeleteIntegrationQuerySchema, ExpectedVersionSchema, InternalHeaders } from '@integrations/contracts';
import { Controller, Delete, Headers, HttpCode, Param, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { commandMeta } from '../command-meta';
import { looksLikeIntegrationId } from '../integration-id';
import { integrationNotFound, parseRequest } from '../integration.errors';
import { DeleteIntegrationCommand, type IntegrationDeletedJson } from './delete-integration.command';

@Controller('integrations')
export class DeleteIntegrationController {
  constructor(private readonly commandBus: CommandBus) {}

  /** 200 `{id, deleted: true, version}`: the version lets the admin's next read wait for the delete. */
  @Delete(':id')
  @HttpCode(200)
  delete(
    @Param('id') id: string,
    @Query() query: unknown,
    @Headers(InternalHeaders.ifMatch) ifMatch?: string,
  ): Promise<IntegrationDeletedJson> {
    const { expectedVersion } = parseRequest(DeleteIntegrationQuerySchema, query);
    const expected = parseRequest(ExpectedVersionSchema, { 'If-Match': ifMatch, expectedVersion });
    if (!looksLikeIntegrationId(id)) throw integrationNotFound();
    return this.commandBus.execute(new DeleteIntegrationCommand(id, expected, 'admin', commandMeta()));
  }
}
