import { CommandIdSchema, PlaceHoldRequestSchema, PublishSnapshotRequestSchema } from '@integrations/contracts';
import { parseInput } from '@integrations/service-kit';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Put } from '@nestjs/common';
import { AclErrorCodes, invalidCommandId, invalidVersion, pathMismatch } from '../acl.errors';
import { AccessStore, type AccessState } from './access.store';

/**
 * The registry's side channel into the acl (docs/adr/0006 §2): holds before a narrowing command
 * commits, snapshots after any command committed. Each write is in force on every replica when it
 * answers 204 (the store moves the change signal first).
 */
@Controller('access')
export class AccessController {
  constructor(@Inject(AccessStore) private readonly store: AccessStore) {}

  @Put(':integrationId/holds/:commandId')
  @HttpCode(204)
  async placeHold(
    @Param('integrationId') integrationId: string,
    @Param('commandId') commandId: string,
    @Body() body: unknown,
  ): Promise<void> {
    const command = parseCommandId(commandId);
    const { access } = parseInput(PlaceHoldRequestSchema, body, AclErrorCodes.invalidAccessRequest);
    if (access.integrationId !== integrationId)
      throw pathMismatch('integration id', integrationId, access.integrationId);
    await this.store.placeHold(command, access);
  }

  /** Idempotent: releasing a hold that is gone (or never was) is fine. */
  @Delete(':integrationId/holds/:commandId')
  @HttpCode(204)
  async releaseHold(
    @Param('integrationId') integrationId: string,
    @Param('commandId') commandId: string,
  ): Promise<void> {
    await this.store.releaseHolds(integrationId, [parseCommandId(commandId)]);
  }

  @Put(':integrationId/snapshots/:version')
  @HttpCode(204)
  async publishSnapshot(
    @Param('integrationId') integrationId: string,
    @Param('version') version: string,
    @Body() body: unknown,
  ): Promise<void> {
    if (!/^[1-9][0-9]{0,15}$/.test(version)) throw invalidVersion(version);
    const { access, releaseHold } = parseInput(PublishSnapshotRequestSchema, body, AclErrorCodes.invalidAccessRequest);
    if (access.integrationId !== integrationId)
      throw pathMismatch('integration id', integrationId, access.integrationId);
    if (access.version !== Number(version)) throw pathMismatch('version', version, access.version);
    await this.store.publishSnapshot(access, releaseHold ? [releaseHold] : []);
  }

  /** For operators and tests: read from the database, never from the cache. */
  @Get(':integrationId')
  read(@Param('integrationId') integrationId: string): Promise<AccessState> {
    return this.store.read(integrationId);
  }
}

function parseCommandId(commandId: string): string {
  if (!CommandIdSchema.safeParse(commandId).success) throw invalidCommandId(commandId);
  return commandId;
}
