import { Migration } from '@mikro-orm/migrations';

export class Migration20261202221442_VerificationCodeIndex extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "report_versions" add constraint "report_versions_verification_code_unique" unique ("verification_code");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "report_versions" drop constraint "report_versions_verification_code_unique";`);
  }

}
