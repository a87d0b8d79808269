import { Migration } from '@mikro-orm/migrations';

export class Migration20261202221441_VerificationCodeIndex extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create unique index \`report_versions_verification_code_unique\` on \`report_versions\` (\`verification_code\`);`);
  }

}
