import { Migration } from '@mikro-orm/migrations';

export class Migration20261128202606 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "analytes" ("id" uuid not null, "code" varchar(32) not null, "name" varchar(120) not null, "section" varchar(32) not null, "unit" varchar(32) null, "kind" varchar(16) not null, "decimals" int not null default 1, "ranges" jsonb not null, "position" int not null default 0, constraint "analytes_pkey" primary key ("id"));`);
    this.addSql(`alter table "analytes" add constraint "analytes_code_unique" unique ("code");`);
    this.addSql(`create index "analytes_section_index" on "analytes" ("section");`);

    this.addSql(`create table "audit_log" ("id" uuid not null, "actor_id" uuid null, "at" timestamptz not null, "entity" varchar(40) not null, "entity_id" uuid not null, "action" varchar(32) not null, "before" jsonb null, "after" jsonb null, "job_id" varchar(64) null, constraint "audit_log_pkey" primary key ("id"));`);
    this.addSql(`create index "audit_log_actor_id_index" on "audit_log" ("actor_id");`);
    this.addSql(`create index "audit_log_job_id_index" on "audit_log" ("job_id");`);
    this.addSql(`create index "audit_log_entity_entity_id_index" on "audit_log" ("entity", "entity_id");`);

    this.addSql(`create table "clinics" ("id" uuid not null, "name" varchar(160) not null, "result_emails" jsonb not null, "created_at" timestamptz not null, constraint "clinics_pkey" primary key ("id"));`);
    this.addSql(`alter table "clinics" add constraint "clinics_name_unique" unique ("name");`);

    this.addSql(`create table "jobs" ("id" uuid not null, "kind" varchar(32) not null, "state" varchar(16) not null default 'queued', "subject_type" varchar(16) not null, "subject_id" uuid not null, "stage" varchar(32) null, "progress" int not null default 0, "attempts" int not null default 0, "failed_reason" text null, "result" jsonb null, "payload" jsonb null, "created_by_id" uuid null, "created_at" timestamptz not null, "started_at" timestamptz null, "finished_at" timestamptz null, constraint "jobs_pkey" primary key ("id"));`);
    this.addSql(`create index "jobs_state_index" on "jobs" ("state");`);
    this.addSql(`create index "jobs_subject_type_subject_id_index" on "jobs" ("subject_type", "subject_id");`);
    this.addSql(`create index "jobs_created_by_id_created_at_index" on "jobs" ("created_by_id", "created_at");`);

    this.addSql(`create table "outbox" ("id" uuid not null, "kind" varchar(32) not null, "subject_type" varchar(16) not null, "subject_id" uuid not null, "version" int not null, "recipient" varchar(254) not null, "message_id" varchar(200) not null, "status" varchar(16) not null default 'pending', "attempts" int not null default 0, "last_error" text null, "sent_at" timestamptz null, "created_at" timestamptz not null, constraint "outbox_pkey" primary key ("id"));`);
    this.addSql(`create index "outbox_status_index" on "outbox" ("status");`);
    this.addSql(`alter table "outbox" add constraint "outbox_kind_subject_id_version_recipient_unique" unique ("kind", "subject_id", "version", "recipient");`);

    this.addSql(`create table "panels" ("id" uuid not null, "code" varchar(32) not null, "name" varchar(120) not null, constraint "panels_pkey" primary key ("id"));`);
    this.addSql(`alter table "panels" add constraint "panels_code_unique" unique ("code");`);

    this.addSql(`create table "panel_analytes" ("id" serial primary key, "panel_id" uuid not null, "analyte_id" uuid not null);`);

    this.addSql(`create table "protocol_counters" ("year" int not null, "value" int not null default 0, constraint "protocol_counters_pkey" primary key ("year"));`);

    this.addSql(`create table "users" ("id" uuid not null, "email" varchar(254) not null, "name" varchar(120) not null, "password_hash" varchar(255) not null, "role" varchar(16) not null, "signer" boolean not null default false, "active" boolean not null default true, "clinic_id" uuid null, "signature_png" bytea null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "users_pkey" primary key ("id"));`);
    this.addSql(`alter table "users" add constraint "users_email_unique" unique ("email");`);
    this.addSql(`create index "users_role_index" on "users" ("role");`);
    this.addSql(`create index "users_clinic_id_index" on "users" ("clinic_id");`);

    this.addSql(`create table "refresh_tokens" ("id" uuid not null, "user_id" uuid not null, "token_hash" varchar(64) not null, "family_id" uuid not null, "expires_at" timestamptz not null, "rotated_at" timestamptz null, "revoked_at" timestamptz null, "created_at" timestamptz not null, constraint "refresh_tokens_pkey" primary key ("id"));`);
    this.addSql(`create index "refresh_tokens_user_id_index" on "refresh_tokens" ("user_id");`);
    this.addSql(`alter table "refresh_tokens" add constraint "refresh_tokens_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "refresh_tokens_family_id_index" on "refresh_tokens" ("family_id");`);

    this.addSql(`create table "protocols" ("id" uuid not null, "code" varchar(20) not null, "clinic_id" uuid not null, "vet_id" uuid null, "created_by_id" uuid not null, "animal_name" varchar(80) not null, "species" varchar(16) not null, "breed" varchar(80) null, "sex" varchar(16) not null default 'unknown', "age_months" int null, "owner_name" varchar(120) not null, "owner_phone" varchar(40) null, "owner_email" varchar(254) null, "search_text" varchar(300) not null, "samples" jsonb not null, "notes" text null, "priority" varchar(16) not null default 'routine', "status" varchar(16) not null default 'submitted', "received_by_id" uuid null, "received_at" timestamptz null, "rejection_reason" varchar(500) null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "protocols_pkey" primary key ("id"));`);
    this.addSql(`alter table "protocols" add constraint "protocols_code_unique" unique ("code");`);
    this.addSql(`create index "protocols_species_index" on "protocols" ("species");`);
    this.addSql(`create index "protocols_search_text_index" on "protocols" ("search_text");`);
    this.addSql(`create index "protocols_status_index" on "protocols" ("status");`);
    this.addSql(`create index "protocols_created_at_index" on "protocols" ("created_at");`);
    this.addSql(`create index "protocols_status_created_at_index" on "protocols" ("status", "created_at");`);
    this.addSql(`create index "protocols_clinic_id_created_at_index" on "protocols" ("clinic_id", "created_at");`);

    this.addSql(`create table "reports" ("id" uuid not null, "protocol_id" uuid not null, "created_at" timestamptz not null, constraint "reports_pkey" primary key ("id"));`);
    this.addSql(`alter table "reports" add constraint "reports_protocol_id_unique" unique ("protocol_id");`);

    this.addSql(`create table "report_versions" ("id" uuid not null, "report_id" uuid not null, "number" int not null, "status" varchar(20) not null default 'draft', "observations" text null, "signer_id" uuid null, "finalized_at" timestamptz null, "failure_reason" text null, "supersedes_number" int null, "finalize_job_id" uuid null, "render_job_id" uuid null, "pdf_key" varchar(200) null, "pdf_sha256" varchar(64) null, "pdf_size" int null, "verification_code" varchar(32) null, "lock_version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "report_versions_pkey" primary key ("id"));`);
    this.addSql(`create index "report_versions_status_index" on "report_versions" ("status");`);
    this.addSql(`create index "report_versions_finalize_job_id_index" on "report_versions" ("finalize_job_id");`);
    this.addSql(`alter table "report_versions" add constraint "report_versions_report_id_number_unique" unique ("report_id", "number");`);

    this.addSql(`create table "result_rows" ("id" uuid not null, "version_id" uuid not null, "analyte_id" uuid not null, "position" int not null, "value" varchar(200) null, "numeric_value" double precision null, "flag" varchar(16) null, "range" jsonb null, constraint "result_rows_pkey" primary key ("id"));`);
    this.addSql(`create index "result_rows_version_id_index" on "result_rows" ("version_id");`);

    this.addSql(`create table "protocol_panels" ("id" serial primary key, "protocol_id" uuid not null, "panel_id" uuid not null);`);

    this.addSql(`create table "work_orders" ("id" uuid not null, "protocol_id" uuid not null, "priority" varchar(16) not null default 'routine', "instructions" text null, "sections" jsonb not null, "content_version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "work_orders_pkey" primary key ("id"));`);
    this.addSql(`alter table "work_orders" add constraint "work_orders_protocol_id_unique" unique ("protocol_id");`);

    this.addSql(`alter table "panel_analytes" add constraint "panel_analytes_panel_id_foreign" foreign key ("panel_id") references "panels" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "panel_analytes" add constraint "panel_analytes_analyte_id_foreign" foreign key ("analyte_id") references "analytes" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "users" add constraint "users_clinic_id_foreign" foreign key ("clinic_id") references "clinics" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "refresh_tokens" add constraint "refresh_tokens_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "protocols" add constraint "protocols_clinic_id_foreign" foreign key ("clinic_id") references "clinics" ("id") on update cascade;`);
    this.addSql(`alter table "protocols" add constraint "protocols_vet_id_foreign" foreign key ("vet_id") references "users" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "protocols" add constraint "protocols_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on update cascade;`);
    this.addSql(`alter table "protocols" add constraint "protocols_received_by_id_foreign" foreign key ("received_by_id") references "users" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "reports" add constraint "reports_protocol_id_foreign" foreign key ("protocol_id") references "protocols" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "report_versions" add constraint "report_versions_report_id_foreign" foreign key ("report_id") references "reports" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "report_versions" add constraint "report_versions_signer_id_foreign" foreign key ("signer_id") references "users" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "result_rows" add constraint "result_rows_version_id_foreign" foreign key ("version_id") references "report_versions" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "result_rows" add constraint "result_rows_analyte_id_foreign" foreign key ("analyte_id") references "analytes" ("id") on update cascade;`);

    this.addSql(`alter table "protocol_panels" add constraint "protocol_panels_protocol_id_foreign" foreign key ("protocol_id") references "protocols" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "protocol_panels" add constraint "protocol_panels_panel_id_foreign" foreign key ("panel_id") references "panels" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "work_orders" add constraint "work_orders_protocol_id_foreign" foreign key ("protocol_id") references "protocols" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "panel_analytes" drop constraint "panel_analytes_analyte_id_foreign";`);

    this.addSql(`alter table "result_rows" drop constraint "result_rows_analyte_id_foreign";`);

    this.addSql(`alter table "users" drop constraint "users_clinic_id_foreign";`);

    this.addSql(`alter table "protocols" drop constraint "protocols_clinic_id_foreign";`);

    this.addSql(`alter table "panel_analytes" drop constraint "panel_analytes_panel_id_foreign";`);

    this.addSql(`alter table "protocol_panels" drop constraint "protocol_panels_panel_id_foreign";`);

    this.addSql(`alter table "refresh_tokens" drop constraint "refresh_tokens_user_id_foreign";`);

    this.addSql(`alter table "protocols" drop constraint "protocols_vet_id_foreign";`);

    this.addSql(`alter table "protocols" drop constraint "protocols_created_by_id_foreign";`);

    this.addSql(`alter table "protocols" drop constraint "protocols_received_by_id_foreign";`);

    this.addSql(`alter table "report_versions" drop constraint "report_versions_signer_id_foreign";`);

    this.addSql(`alter table "reports" drop constraint "reports_protocol_id_foreign";`);

    this.addSql(`alter table "protocol_panels" drop constraint "protocol_panels_protocol_id_foreign";`);

    this.addSql(`alter table "work_orders" drop constraint "work_orders_protocol_id_foreign";`);

    this.addSql(`alter table "report_versions" drop constraint "report_versions_report_id_foreign";`);

    this.addSql(`alter table "result_rows" drop constraint "result_rows_version_id_foreign";`);

    this.addSql(`drop table if exists "analytes" cascade;`);

    this.addSql(`drop table if exists "audit_log" cascade;`);

    this.addSql(`drop table if exists "clinics" cascade;`);

    this.addSql(`drop table if exists "jobs" cascade;`);

    this.addSql(`drop table if exists "outbox" cascade;`);

    this.addSql(`drop table if exists "panels" cascade;`);

    this.addSql(`drop table if exists "panel_analytes" cascade;`);

    this.addSql(`drop table if exists "protocol_counters" cascade;`);

    this.addSql(`drop table if exists "users" cascade;`);

    this.addSql(`drop table if exists "refresh_tokens" cascade;`);

    this.addSql(`drop table if exists "protocols" cascade;`);

    this.addSql(`drop table if exists "reports" cascade;`);

    this.addSql(`drop table if exists "report_versions" cascade;`);

    this.addSql(`drop table if exists "result_rows" cascade;`);

    this.addSql(`drop table if exists "protocol_panels" cascade;`);

    this.addSql(`drop table if exists "work_orders" cascade;`);
  }

}
