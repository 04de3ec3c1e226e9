#include "cli/store_copy.hpp"

#include <deque>
#include <iostream>
#include <stdexcept>
#include <vector>

#include "cli/progress_bar.hpp"
#include "store/audit_log.hpp"
#include "store/postgres_database.hpp"
#include "store/sqlite.hpp"
#include "store/sqlite_database.hpp"

namespace essc::cli {
namespace {

constexpr char kTables[] =
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
    "AND name <> 'schema_migrations' ORDER BY rowid";  // creation order: parents before children
constexpr char kTargetTables[] =
    "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()";
// PostgreSQL's columns with generated values, to move their sequences past the copied rows.
constexpr char kIdentityColumns[] =
    "SELECT table_name, column_name FROM information_schema.columns "
    "WHERE table_schema = current_schema() AND is_identity = 'YES'";

enum class Kind { kInteger, kText, kBlob };

struct Column {
  std::string name;
  Kind kind;
};

struct Table {
  std::string name;
  std::vector<Column> columns;
  bool has_rowid_column = false;  // PostgreSQL declares the rowid SQLite gives implicitly
  std::int64_t rows = 0;
};

// The statements are built from our own schema's names only (never from input) and kept
// alive here, since connections cache statements by the address of their text.
std::deque<std::string> statements;

const char* keep(std::string sql) { return statements.emplace_back(std::move(sql)).c_str(); }

std::int64_t count(store::Connection& c, const std::string& table) {
  return *c.prepare(keep("SELECT COUNT(*) FROM " + table)).first([](const store::Statement& s) {
    return s.int64(0);
  });
}

std::vector<Table> source_tables(store::SqliteConnection& source) {
  std::vector<Table> tables;
  auto& names = source.prepare(kTables);
  while (names.step()) tables.push_back({names.text(0), {}, false, 0});
  names.reset();
  for (auto& t : tables) {
    auto& info = source.prepare(keep("PRAGMA table_info(" + t.name + ")"));
    while (info.step()) {
      const auto type = info.text(2);
      const auto kind = type == "BLOB"                            ? Kind::kBlob
                        : (type == "INTEGER" || type == "BIGINT") ? Kind::kInteger
                                                                  : Kind::kText;
      t.columns.push_back({info.text(1), kind});
    }
    info.reset();
    t.rows = count(source, t.name);
  }
  return tables;
}

void copy_table(store::SqliteConnection& source, store::Connection& target, const Table& t,
                ProgressBar& bar, std::int64_t& done, std::int64_t total) {
  std::string names, marks;
  for (const auto& column : t.columns) {
    names += (names.empty() ? "" : ", ") + column.name;
    marks += marks.empty() ? "?" : ", ?";
  }
  const std::string rowid = t.has_rowid_column ? "rowid, " : "";
  auto& read = source.prepare(keep("SELECT " + rowid + names + " FROM " + t.name));
  const char* insert_sql = keep("INSERT INTO " + t.name + " (" + rowid + names + ") VALUES (" +
                                (t.has_rowid_column ? "?, " : "") + marks + ")");
  while (read.step()) {
    auto& insert = target.prepare(insert_sql);
    int column = 0;
    if (t.has_rowid_column) insert.bind(++column, read.int64(0));
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
      const int from = static_cast<int>(i) + (t.has_rowid_column ? 1 : 0);
      ++column;
      if (read.is_null(from)) {
        insert.bind(column, store::Null{});
      } else if (t.columns[i].kind == Kind::kInteger) {
        insert.bind(column, read.int64(from));
      } else if (t.columns[i].kind == Kind::kBlob) {
        insert.bind_blob(column, read.blob(from));
      } else {
        insert.bind(column, read.text(from));
      }
    }
    insert.run();
    if (++done % 1000 == 0) bar.show(done, total);
  }
  read.reset();
}

}  // namespace

void copy_store(const DataDir& dir, const std::string& url) {
  const auto config = load_config(dir.config());
  if (!config.store_url.empty())
    throw std::runtime_error("the folder's store is already " +
                             store::redact_url(config.store_url));
  SystemClock clock;
  {
    store::SqliteDatabase migrate_first(dir.database().string(),
                                        clock);  // the source at this essc's schema
  }
  store::SqliteConnection source(dir.database().string(), true);
  auto target_config = config;
  target_config.store_url = url;
  const auto target = *postgres_target(target_config);
  {
    // Empty, or holding only the schema an earlier copy that failed left behind.
    store::PostgresConnection probe(target);
    if (*probe.prepare(kTargetTables).first([](const store::Statement& s) { return s.int64(0); }) !=
        0) {
      store::PostgresDatabase existing(target, 1, clock);
      const bool only_schema = existing.read([](store::Connection& c) {
        for (const char* table : {"persons", "clients", "operators", "audit_entries"}) {
          if (count(c, table) != 0) return false;
        }
        return true;
      });
      if (!only_schema) {
        throw std::runtime_error(store::redact_url(url) +
                                 " is not empty; essc store copy needs an empty database");
      }
    }
  }
  store::PostgresDatabase migrated(target, 1, clock);  // the schema, from the migrations
  store::PostgresConnection c(target);
  auto tables = source_tables(source);
  std::int64_t total = 0;
  for (auto& t : tables) {
    total += t.rows;
    static constexpr char kRowidColumn[] =
        "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND table_name = ? AND column_name = 'rowid'";
    t.has_rowid_column =
        *c.prepare(kRowidColumn).bind_all(t.name).first([](const store::Statement& s) {
          return s.int64(0);
        }) == 1;
  }
  ProgressBar bar("rows");
  std::int64_t done = 0;
  source.exec("BEGIN");
  c.exec("BEGIN");
  try {
    for (const auto& t : tables) copy_table(source, c, t, bar, done, total);
    auto& identities = c.prepare(kIdentityColumns);
    std::vector<std::pair<std::string, std::string>> columns;
    while (identities.step()) columns.emplace_back(identities.text(0), identities.text(1));
    identities.reset();
    for (const auto& [table, column] : columns) {
      std::string sql = "SELECT setval(pg_get_serial_sequence('";
      sql.append(table).append("', '").append(column).append("'), COALESCE(MAX(");
      sql.append(column).append("), 0) + 1, false) FROM ").append(table);
      c.exec(sql);
    }
    for (const auto& t : tables) {
      if (count(c, t.name) != t.rows)
        throw std::runtime_error("row count of " + t.name + " differs on the target");
    }
    const auto copied = store::audit_tree(c);
    const auto original = store::audit_tree(source);
    if (copied.size != original.size || copied.root != original.root)
      throw std::runtime_error("the audit log's tree differs on the target");
    c.exec("COMMIT");
  } catch (...) {
    c.exec("ROLLBACK");
    source.exec("ROLLBACK");
    throw;
  }
  source.exec("COMMIT");
  bar.show(total, total);
  for (const auto& t : tables) std::cout << t.name << ": " << t.rows << " rows\n";
  set_store_url(dir.config(), url);
  std::cout << "copied " << total << " rows of " << tables.size() << " tables to "
            << store::redact_url(url) << "; the audit log's tree is the same; "
            << dir.config().string() << " now names it" << std::endl;
}

}  // namespace essc::cli
