import { Migration } from '@mikro-orm/migrations';

export class Migration20261202221509_ReportAmendAnnul extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`report_versions\` add column \`amend_reason\` text null;`);
    this.addSql(`alter table \`report_versions\` add column \`invalidated_at\` datetime null;`);
    this.addSql(`alter table \`report_versions\` add column \`invalidated_by_id\` text null constraint \`report_versions_invalidated_by_id_foreign\` references \`users\` (\`id\`) on update cascade on delete set null;`);
    this.addSql(`alter table \`report_versions\` add column \`invalidation_reason\` text null;`);
    this.addSql(`alter table \`report_versions\` add column \`void_pdf_key\` text null;`);
    this.addSql(`alter table \`report_versions\` add column \`void_pdf_sha256\` text null;`);
    this.addSql(`alter table \`report_versions\` add column \`void_pdf_size\` integer null;`);
    this.addSql(`create index \`report_versions_invalidated_by_id_index\` on \`report_versions\` (\`invalidated_by_id\`);`);
  }

}
