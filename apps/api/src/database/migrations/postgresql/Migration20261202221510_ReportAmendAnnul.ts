import { Migration } from '@mikro-orm/migrations';

export class Migration20261202221510_ReportAmendAnnul extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "report_versions" add column "amend_reason" text null, add column "invalidated_at" timestamptz null, add column "invalidated_by_id" uuid null, add column "invalidation_reason" text null, add column "void_pdf_key" varchar(200) null, add column "void_pdf_sha256" varchar(64) null, add column "void_pdf_size" int null;`);
    this.addSql(`alter table "report_versions" add constraint "report_versions_invalidated_by_id_foreign" foreign key ("invalidated_by_id") references "users" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "report_versions" drop constraint "report_versions_invalidated_by_id_foreign";`);

    this.addSql(`alter table "report_versions" drop column "amend_reason", drop column "invalidated_at", drop column "invalidated_by_id", drop column "invalidation_reason", drop column "void_pdf_key", drop column "void_pdf_sha256", drop column "void_pdf_size";`);
  }

}
