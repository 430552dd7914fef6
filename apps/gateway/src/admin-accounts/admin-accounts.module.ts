import { Module } from '@nestjs/common';
import { AdminAuthModule } from '../admin-auth/admin-auth.module';
import { AdminAccountsController } from './admin-accounts.controller';
import { ChangeAdminAccountHandler } from './change-admin-account';

/** `/admin/v1/admins`: admin accounts and roles (administrators only). */
@Module({
  imports: [AdminAuthModule],
  controllers: [AdminAccountsController],
  providers: [ChangeAdminAccountHandler],
})
export class AdminAccountsModule {}
