import { Migration } from '@mikro-orm/migrations';

/**
 * PostgreSQL estimates how many rows a `search_text like '%term%'` matches by trying the pattern on
 * the column's histogram, which holds 100 sampled values by default: a first name on 2 % of a
 * decade's protocols was in none of them on one ANALYZE and in a few on another. Estimated at
 * 0.01 %, a vet's searched page was read through the trigram index and sorted (all 4,917 matches,
 * 14 ms); estimated near its real share, the (clinic_id, created_at) index is walked until 25 rows
 * match (2 ms). A histogram of 1,000 values makes the estimate steady; ANALYZE reads more rows
 * for it (~9 s on a million protocols) and a search's planning ~0.3 ms more.
 */
export class Migration20261204220000_SearchTextStatistics extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "protocols" alter column "search_text" set statistics 1000;`);
    this.addSql(`analyze "protocols";`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "protocols" alter column "search_text" set statistics -1;`);
  }

}
