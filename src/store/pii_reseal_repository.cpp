#include "store/pii_reseal_repository.hpp"

#include <initializer_list>
#include <optional>

namespace essc::store {
namespace {

struct SealedColumn {
  std::string_view column;
  std::string_view field;  // the vault's field: the associated data it was sealed with
};

// Every sealed column of the schema (store/migrations.cpp), with the field its repository
// seals it as. pii_reseal_repository_test holds this list against the schema.
struct SealedTable {
  std::string_view table;
  std::string_view key;  // its primary key
  bool integer_key;
  std::vector<SealedColumn> columns;
};

const std::vector<SealedTable>& sealed_tables() {
  static const std::vector<SealedTable> tables{
      {"persons",
       "person_id",
       true,
       {{"id_number_sealed", "id_number"}, {"name_sealed", "name"}, {"phone_sealed", "phone"}}},
      {"cards",
       "card_no",
       false,
       {{"bank_account_sealed", "bank_account_no"}, {"reserved_phone_sealed", "reserved_phone"}}},
      {"clients",
       "client_id",
       false,
       {{"secret_sealed", "client_secret"}, {"webhook_secret_sealed", "webhook_secret"}}},
      {"outbox", "event_id", false, {{"destination_sealed", "outbox_destination"}}},
      {"due_bank_transfers", "reference", false, {{"account_sealed", "bank_account_no"}}},
      {"settlements", "settlement_id", false, {{"bank_account_sealed", "bank_account_no"}}},
      {"certificates", "certificate_id", false, {{"content_sealed", "certificate"}}},
  };
  return tables;
}

// A table's statements, made once: the statement cache is keyed by the SQL's address.
struct TableSql {
  std::string first_rows;  // the first rows in key order
  std::string rows_after;  // the rows after a key, in key order
  std::vector<std::string> update_column;
};

// The text of `parts`, one after the other.
std::string concat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (const auto part : parts) out.append(part);
  return out;
}

TableSql sql_of(const SealedTable& t) {
  std::string select = concat({"SELECT ", t.key});
  for (const auto& c : t.columns) select.append(", ").append(c.column);
  select.append(" FROM ").append(t.table);
  const std::string order = concat({" ORDER BY ", t.key, " LIMIT ?"});
  TableSql s{select + order, concat({select, " WHERE ", t.key, " > ?", order}), {}};
  for (const auto& c : t.columns) {
    s.update_column.push_back(
        concat({"UPDATE ", t.table, " SET ", c.column, " = ? WHERE ", t.key, " = ?"}));
  }
  return s;
}

const std::vector<TableSql>& table_sql() {
  static const std::vector<TableSql> sql = [] {
    std::vector<TableSql> out;
    for (const auto& t : sealed_tables()) out.push_back(sql_of(t));
    return out;
  }();
  return sql;
}

constexpr char kProgressOf[] =
    "SELECT after_key, checked, resealed, unreadable, done FROM pii_reseal_progress "
    "WHERE key_id = ? AND table_name = ?";
constexpr char kBegin[] =
    "INSERT INTO pii_reseal_progress (key_id, table_name) VALUES (?, ?) "
    "ON CONFLICT (key_id, table_name) DO NOTHING";
constexpr char kAdvance[] =
    "UPDATE pii_reseal_progress SET after_key = ?, checked = checked + ?, "
    "resealed = resealed + ?, unreadable = unreadable + ?, done = ? "
    "WHERE key_id = ? AND table_name = ?";

struct Cursor {
  std::optional<std::string> after_key;
  ResealProgress progress;
};

std::optional<Cursor> cursor_of(Connection& c, std::string_view key_id, std::string_view table) {
  return c.prepare(kProgressOf).bind_all(key_id, table).first([&](const Statement& s) {
    return Cursor{s.optional_text(0),
                  {std::string(table), s.int64(1), s.int64(2), s.int64(3), s.int64(4) != 0}};
  });
}

struct Row {
  std::string key;
  std::vector<std::optional<std::string>> sealed;
};

std::vector<Row> rows_of(Connection& c, const SealedTable& t, const TableSql& sql,
                         const std::optional<std::string>& after, int limit) {
  auto& s = c.prepare(after ? sql.rows_after.c_str() : sql.first_rows.c_str());
  int index = 1;
  if (after) {
    if (t.integer_key) {
      s.bind(index++, static_cast<std::int64_t>(std::stoll(*after)));
    } else {
      s.bind(index++, *after);
    }
  }
  s.bind(index, limit);
  std::vector<Row> rows;
  while (s.step()) {
    Row row{t.integer_key ? std::to_string(s.int64(0)) : s.text(0), {}};
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
      row.sealed.push_back(s.optional_blob(static_cast<int>(i) + 1));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

void update_column(Connection& c, const SealedTable& t, const std::string& sql,
                   std::string_view sealed, const std::string& key) {
  auto& s = c.prepare(sql.c_str());
  s.bind_blob(1, sealed);
  if (t.integer_key) {
    s.bind(2, static_cast<std::int64_t>(std::stoll(key)));
  } else {
    s.bind(2, key);
  }
  s.run();
}

ResealBatch reseal_rows(Connection& c, const crypto::PiiVault& vault, std::size_t table_index,
                        const std::optional<std::string>& after, int limit) {
  const auto& t = sealed_tables()[table_index];
  const auto& sql = table_sql()[table_index];
  const auto rows = rows_of(c, t, sql, after, limit);
  ResealBatch batch{std::string(t.table), static_cast<std::int64_t>(rows.size()), 0, 0, false};
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
      if (!row.sealed[i]) continue;
      const auto resealed = vault.reseal(t.columns[i].field, *row.sealed[i]);
      if (resealed.outcome == crypto::PiiVault::Resealed::Outcome::kResealed) {
        update_column(c, t, sql.update_column[i], resealed.sealed, row.key);
        ++batch.resealed;
      } else if (resealed.outcome == crypto::PiiVault::Resealed::Outcome::kUnreadable) {
        ++batch.unreadable;
      }
    }
  }
  const bool done = static_cast<int>(rows.size()) < limit;
  c.prepare(kAdvance)
      .bind_all(rows.empty() ? after : std::optional(rows.back().key), batch.checked,
                batch.resealed, batch.unreadable, done, vault.key_id(), t.table)
      .run();
  return batch;
}

}  // namespace

ResealBatch reseal_next_batch(Connection& c, const crypto::PiiVault& vault, int rows) {
  const auto key_id = vault.key_id();
  const auto& tables = sealed_tables();
  for (std::size_t i = 0; i < tables.size(); ++i) {
    auto cursor = cursor_of(c, key_id, tables[i].table);
    if (cursor && cursor->progress.done) continue;
    if (!cursor) c.prepare(kBegin).bind_all(key_id, tables[i].table).run();
    return reseal_rows(c, vault, i, cursor ? cursor->after_key : std::nullopt, rows);
  }
  return {{}, 0, 0, 0, true};
}

std::vector<std::string> sealed_columns() {
  std::vector<std::string> out;
  for (const auto& t : sealed_tables()) {
    for (const auto& c : t.columns) out.push_back(concat({t.table, ".", c.column}));
  }
  return out;
}

std::vector<ResealProgress> reseal_progress(Connection& c, std::string_view key_id) {
  std::vector<ResealProgress> out;
  for (const auto& t : sealed_tables()) {
    auto cursor = cursor_of(c, key_id, t.table);
    out.push_back(cursor ? std::move(cursor->progress) : ResealProgress{std::string(t.table)});
  }
  return out;
}

}  // namespace essc::store
