import { Migration } from '@mikro-orm/migrations';

export class Migration20261202221358_ClinicReportLanguage extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`clinics\` add column \`report_language\` text not null default 'es';`);
  }

}
