import { Migration } from '@mikro-orm/migrations';

export class Migration20261128202606 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`analytes\` (\`id\` text not null, \`code\` text not null, \`name\` text not null, \`section\` text not null, \`unit\` text null, \`kind\` text not null, \`decimals\` integer not null default 1, \`ranges\` json not null, \`position\` integer not null default 0, primary key (\`id\`));`);
    this.addSql(`create unique index \`analytes_code_unique\` on \`analytes\` (\`code\`);`);
    this.addSql(`create index \`analytes_section_index\` on \`analytes\` (\`section\`);`);

    this.addSql(`create table \`audit_log\` (\`id\` text not null, \`actor_id\` text null, \`at\` datetime not null, \`entity\` text not null, \`entity_id\` text not null, \`action\` text not null, \`before\` json null, \`after\` json null, \`job_id\` text null, primary key (\`id\`));`);
    this.addSql(`create index \`audit_log_actor_id_index\` on \`audit_log\` (\`actor_id\`);`);
    this.addSql(`create index \`audit_log_job_id_index\` on \`audit_log\` (\`job_id\`);`);
    this.addSql(`create index \`audit_log_entity_entity_id_index\` on \`audit_log\` (\`entity\`, \`entity_id\`);`);

    this.addSql(`create table \`clinics\` (\`id\` text not null, \`name\` text not null, \`result_emails\` json not null, \`created_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create unique index \`clinics_name_unique\` on \`clinics\` (\`name\`);`);

    this.addSql(`create table \`jobs\` (\`id\` text not null, \`kind\` text not null, \`state\` text not null default 'queued', \`subject_type\` text not null, \`subject_id\` text not null, \`stage\` text null, \`progress\` integer not null default 0, \`attempts\` integer not null default 0, \`failed_reason\` text null, \`result\` json null, \`payload\` json null, \`created_by_id\` text null, \`created_at\` datetime not null, \`started_at\` datetime null, \`finished_at\` datetime null, primary key (\`id\`));`);
    this.addSql(`create index \`jobs_state_index\` on \`jobs\` (\`state\`);`);
    this.addSql(`create index \`jobs_subject_type_subject_id_index\` on \`jobs\` (\`subject_type\`, \`subject_id\`);`);
    this.addSql(`create index \`jobs_created_by_id_created_at_index\` on \`jobs\` (\`created_by_id\`, \`created_at\`);`);

    this.addSql(`create table \`outbox\` (\`id\` text not null, \`kind\` text not null, \`subject_type\` text not null, \`subject_id\` text not null, \`version\` integer not null, \`recipient\` text not null, \`message_id\` text not null, \`status\` text not null default 'pending', \`attempts\` integer not null default 0, \`last_error\` text null, \`sent_at\` datetime null, \`created_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`outbox_status_index\` on \`outbox\` (\`status\`);`);
    this.addSql(`create unique index \`outbox_kind_subject_id_version_recipient_unique\` on \`outbox\` (\`kind\`, \`subject_id\`, \`version\`, \`recipient\`);`);

    this.addSql(`create table \`panels\` (\`id\` text not null, \`code\` text not null, \`name\` text not null, primary key (\`id\`));`);
    this.addSql(`create unique index \`panels_code_unique\` on \`panels\` (\`code\`);`);

    this.addSql(`create table \`panel_analytes\` (\`id\` integer not null primary key autoincrement, \`panel_id\` text not null, \`analyte_id\` text not null, constraint \`panel_analytes_panel_id_foreign\` foreign key(\`panel_id\`) references \`panels\`(\`id\`) on delete cascade on update cascade, constraint \`panel_analytes_analyte_id_foreign\` foreign key(\`analyte_id\`) references \`analytes\`(\`id\`) on delete cascade on update cascade);`);
    this.addSql(`create index \`panel_analytes_panel_id_index\` on \`panel_analytes\` (\`panel_id\`);`);
    this.addSql(`create index \`panel_analytes_analyte_id_index\` on \`panel_analytes\` (\`analyte_id\`);`);

    this.addSql(`create table \`protocol_counters\` (\`year\` integer not null, \`value\` integer not null default 0, primary key (\`year\`));`);

    this.addSql(`create table \`users\` (\`id\` text not null, \`email\` text not null, \`name\` text not null, \`password_hash\` text not null, \`role\` text not null, \`signer\` integer not null default false, \`active\` integer not null default true, \`clinic_id\` text null, \`signature_png\` blob null, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`users_clinic_id_foreign\` foreign key(\`clinic_id\`) references \`clinics\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`create unique index \`users_email_unique\` on \`users\` (\`email\`);`);
    this.addSql(`create index \`users_role_index\` on \`users\` (\`role\`);`);
    this.addSql(`create index \`users_clinic_id_index\` on \`users\` (\`clinic_id\`);`);

    this.addSql(`create table \`refresh_tokens\` (\`id\` text not null, \`user_id\` text not null, \`token_hash\` text not null, \`family_id\` text not null, \`expires_at\` datetime not null, \`rotated_at\` datetime null, \`revoked_at\` datetime null, \`created_at\` datetime not null, constraint \`refresh_tokens_user_id_foreign\` foreign key(\`user_id\`) references \`users\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`refresh_tokens_user_id_index\` on \`refresh_tokens\` (\`user_id\`);`);
    this.addSql(`create unique index \`refresh_tokens_token_hash_unique\` on \`refresh_tokens\` (\`token_hash\`);`);
    this.addSql(`create index \`refresh_tokens_family_id_index\` on \`refresh_tokens\` (\`family_id\`);`);

    this.addSql(`create table \`protocols\` (\`id\` text not null, \`code\` text not null, \`clinic_id\` text not null, \`vet_id\` text null, \`created_by_id\` text not null, \`animal_name\` text not null, \`species\` text not null, \`breed\` text null, \`sex\` text not null default 'unknown', \`age_months\` integer null, \`owner_name\` text not null, \`owner_phone\` text null, \`owner_email\` text null, \`search_text\` text not null, \`samples\` json not null, \`notes\` text null, \`priority\` text not null default 'routine', \`status\` text not null default 'submitted', \`received_by_id\` text null, \`received_at\` datetime null, \`rejection_reason\` text null, \`version\` integer not null default 1, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`protocols_clinic_id_foreign\` foreign key(\`clinic_id\`) references \`clinics\`(\`id\`) on update cascade, constraint \`protocols_vet_id_foreign\` foreign key(\`vet_id\`) references \`users\`(\`id\`) on delete set null on update cascade, constraint \`protocols_created_by_id_foreign\` foreign key(\`created_by_id\`) references \`users\`(\`id\`) on update cascade, constraint \`protocols_received_by_id_foreign\` foreign key(\`received_by_id\`) references \`users\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`create unique index \`protocols_code_unique\` on \`protocols\` (\`code\`);`);
    this.addSql(`create index \`protocols_clinic_id_index\` on \`protocols\` (\`clinic_id\`);`);
    this.addSql(`create index \`protocols_vet_id_index\` on \`protocols\` (\`vet_id\`);`);
    this.addSql(`create index \`protocols_created_by_id_index\` on \`protocols\` (\`created_by_id\`);`);
    this.addSql(`create index \`protocols_species_index\` on \`protocols\` (\`species\`);`);
    this.addSql(`create index \`protocols_search_text_index\` on \`protocols\` (\`search_text\`);`);
    this.addSql(`create index \`protocols_status_index\` on \`protocols\` (\`status\`);`);
    this.addSql(`create index \`protocols_received_by_id_index\` on \`protocols\` (\`received_by_id\`);`);
    this.addSql(`create index \`protocols_created_at_index\` on \`protocols\` (\`created_at\`);`);
    this.addSql(`create index \`protocols_status_created_at_index\` on \`protocols\` (\`status\`, \`created_at\`);`);
    this.addSql(`create index \`protocols_clinic_id_created_at_index\` on \`protocols\` (\`clinic_id\`, \`created_at\`);`);

    this.addSql(`create table \`reports\` (\`id\` text not null, \`protocol_id\` text not null, \`created_at\` datetime not null, constraint \`reports_protocol_id_foreign\` foreign key(\`protocol_id\`) references \`protocols\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create unique index \`reports_protocol_id_unique\` on \`reports\` (\`protocol_id\`);`);

    this.addSql(`create table \`report_versions\` (\`id\` text not null, \`report_id\` text not null, \`number\` integer not null, \`status\` text not null default 'draft', \`observations\` text null, \`signer_id\` text null, \`finalized_at\` datetime null, \`failure_reason\` text null, \`supersedes_number\` integer null, \`finalize_job_id\` text null, \`render_job_id\` text null, \`pdf_key\` text null, \`pdf_sha256\` text null, \`pdf_size\` integer null, \`verification_code\` text null, \`lock_version\` integer not null default 1, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`report_versions_report_id_foreign\` foreign key(\`report_id\`) references \`reports\`(\`id\`) on delete cascade on update cascade, constraint \`report_versions_signer_id_foreign\` foreign key(\`signer_id\`) references \`users\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`report_versions_report_id_index\` on \`report_versions\` (\`report_id\`);`);
    this.addSql(`create index \`report_versions_status_index\` on \`report_versions\` (\`status\`);`);
    this.addSql(`create index \`report_versions_signer_id_index\` on \`report_versions\` (\`signer_id\`);`);
    this.addSql(`create index \`report_versions_finalize_job_id_index\` on \`report_versions\` (\`finalize_job_id\`);`);
    this.addSql(`create unique index \`report_versions_report_id_number_unique\` on \`report_versions\` (\`report_id\`, \`number\`);`);

    this.addSql(`create table \`result_rows\` (\`id\` text not null, \`version_id\` text not null, \`analyte_id\` text not null, \`position\` integer not null, \`value\` text null, \`numeric_value\` double null, \`flag\` text null, \`range\` json null, constraint \`result_rows_version_id_foreign\` foreign key(\`version_id\`) references \`report_versions\`(\`id\`) on delete cascade on update cascade, constraint \`result_rows_analyte_id_foreign\` foreign key(\`analyte_id\`) references \`analytes\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`result_rows_version_id_index\` on \`result_rows\` (\`version_id\`);`);
    this.addSql(`create index \`result_rows_analyte_id_index\` on \`result_rows\` (\`analyte_id\`);`);

    this.addSql(`create table \`protocol_panels\` (\`id\` integer not null primary key autoincrement, \`protocol_id\` text not null, \`panel_id\` text not null, constraint \`protocol_panels_protocol_id_foreign\` foreign key(\`protocol_id\`) references \`protocols\`(\`id\`) on delete cascade on update cascade, constraint \`protocol_panels_panel_id_foreign\` foreign key(\`panel_id\`) references \`panels\`(\`id\`) on delete cascade on update cascade);`);
    this.addSql(`create index \`protocol_panels_protocol_id_index\` on \`protocol_panels\` (\`protocol_id\`);`);
    this.addSql(`create index \`protocol_panels_panel_id_index\` on \`protocol_panels\` (\`panel_id\`);`);

    this.addSql(`create table \`work_orders\` (\`id\` text not null, \`protocol_id\` text not null, \`priority\` text not null default 'routine', \`instructions\` text null, \`sections\` json not null, \`content_version\` integer not null default 1, \`created_at\` datetime not null, \`updated_at\` datetime not null, constraint \`work_orders_protocol_id_foreign\` foreign key(\`protocol_id\`) references \`protocols\`(\`id\`) on delete cascade on update cascade, primary key (\`id\`));`);
    this.addSql(`create unique index \`work_orders_protocol_id_unique\` on \`work_orders\` (\`protocol_id\`);`);
  }

}
